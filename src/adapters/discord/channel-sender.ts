import { DiscordAPIError, HTTPError, RateLimitError, Routes } from 'discord.js';
import type { REST } from 'discord.js';
import type { AlertSender, DestinationRow, OutboxRow, SendResult } from '../../app/ports.js';
import type { AlertUpdateRow, UpdatedAlert, UpdateResult } from '../../app/story-ports.js';
import {
  alertMessage,
  alsoReportedEdit,
  digestMessage,
  followUpMessage,
  threadFollowUpMessage,
  threadName,
  type MessageBody,
} from './alert-message.js';

export interface ChannelSenderOptions {
  /** The logged-in client's REST (it waits out 429s and retries 5xx itself). */
  rest: REST;
  /** Whether the destination's server is in its quiet hours (alerts then post without pinging). */
  isQuiet?: (destination: DestinationRow) => boolean;
  /** Missing Access / Missing Permissions: the deliverer pauses the destination; this tells the server. */
  onAccessLost?: (destination: DestinationRow, reason: string) => Promise<void> | void;
  /** Unknown Channel: the channel is gone; its subscriptions should go too. */
  onChannelGone?: (destination: DestinationRow) => Promise<void> | void;
}

/** Discord JSON error codes the sender acts on. */
export const DISCORD_CODES = {
  unknownChannel: 10003,
  unknownGuild: 10004,
  missingAccess: 50001,
  missingPermissions: 50013,
  unknownMessage: 10008,
  invalidChannelType: 50024,
  threadArchived: 50083,
  threadAlreadyCreated: 160004,
  threadLocked: 160005,
  maxActiveThreads: 160006,
} as const;

/** Threads of follow-ups archive after a day without posts; a later follow-up unarchives them. */
export const THREAD_AUTO_ARCHIVE_MINUTES = 1440;

const codeOf = (err: unknown): number | null => (err instanceof DiscordAPIError ? Number(err.code) : null);

/**
 * Delivers alerts as bot messages to Discord channels (destination kind 'discord-channel', target = channel id).
 * Every message carries the outbox row's nonce with enforce_nonce, so a retry after a crash returns the message
 * posted the first time instead of posting it twice; an alert counts as delivered only once Discord answered.
 */
export function createChannelSender(options: ChannelSenderOptions): AlertSender {
  const post = async (destination: DestinationRow, body: MessageBody): Promise<SendResult> => {
    try {
      const message = (await options.rest.post(Routes.channelMessages(destination.target), { body })) as {
        id?: string;
      };
      return { ok: true, remoteId: message.id ?? null };
    } catch (err) {
      return mapError(err, destination, options);
    }
  };
  /** A reply in the channel instead of the thread, saying why (the deliverer logs it). */
  const reply = async (
    destination: DestinationRow,
    row: UpdatedAlert,
    update: AlertUpdateRow,
    threadId: string | null,
    why: string,
  ): Promise<UpdateResult> => ({
    ...(await post(destination, followUpMessage(row, update))),
    threadId,
    fallback: `follow-up posted as a reply in the channel: ${why}`,
  });

  /**
   * Starts the alert's thread: its id, or what to answer instead. A thread started from a message has the message's
   * id, so a thread that exists already (an earlier attempt whose answer was lost) is found again.
   */
  const startThread = async (
    destination: DestinationRow,
    row: UpdatedAlert,
    messageId: string,
    update: AlertUpdateRow,
  ): Promise<{ threadId: string } | { result: UpdateResult }> => {
    try {
      const thread = (await options.rest.post(Routes.threads(destination.target, messageId), {
        body: { name: threadName(row.alert), auto_archive_duration: THREAD_AUTO_ARCHIVE_MINUTES },
      })) as { id?: string };
      return { threadId: thread.id ?? messageId };
    } catch (err) {
      const code = codeOf(err);
      if (code === DISCORD_CODES.threadAlreadyCreated) return { threadId: messageId };
      if (code === DISCORD_CODES.unknownMessage)
        return {
          result: { ok: false, retry: false, error: 'the alert message was deleted', threadId: null },
        };
      if (code === DISCORD_CODES.missingAccess || code === DISCORD_CODES.missingPermissions) {
        const why = 'the bot lacks the Create Public Threads permission there';
        return { result: await reply(destination, row, update, null, why) };
      }
      if (
        code === DISCORD_CODES.invalidChannelType ||
        code === DISCORD_CODES.threadLocked ||
        code === DISCORD_CODES.threadArchived ||
        code === DISCORD_CODES.maxActiveThreads
      ) {
        const why = `Discord refused a thread (${errorText(err)})`;
        return { result: await reply(destination, row, update, null, why) };
      }
      return { result: await mapError(err, destination, options) };
    }
  };

  /**
   * A follow-up in the thread under the alert, started with the first one. A deleted thread is started again;
   * without the thread permissions, or in a locked thread, the follow-up becomes a reply in the channel.
   */
  const followUpInThread = async (
    destination: DestinationRow,
    row: UpdatedAlert,
    messageId: string,
    update: AlertUpdateRow,
  ): Promise<UpdateResult> => {
    const body = threadFollowUpMessage(update);
    let threadId = row.threadId ?? null;
    let started = false;
    for (;;) {
      if (!threadId) {
        const start = await startThread(destination, row, messageId, update);
        if ('result' in start) return start.result;
        threadId = start.threadId;
        started = true;
      }
      try {
        // Posting in an archived (not locked) thread unarchives it.
        const message = (await options.rest.post(Routes.channelMessages(threadId), { body })) as {
          id?: string;
        };
        return { ok: true, remoteId: message.id ?? null, threadId };
      } catch (err) {
        const code = codeOf(err);
        // The thread was deleted: start a new one, once.
        if (code === DISCORD_CODES.unknownChannel && !started) {
          threadId = null;
          continue;
        }
        if (code === DISCORD_CODES.missingAccess || code === DISCORD_CODES.missingPermissions) {
          const why = 'the bot lacks the Send Messages in Threads permission there';
          return reply(destination, row, update, threadId, why);
        }
        if (
          code === DISCORD_CODES.unknownChannel ||
          code === DISCORD_CODES.threadArchived ||
          code === DISCORD_CODES.threadLocked
        ) {
          const why = `the thread cannot take posts (${errorText(err)})`;
          return reply(destination, row, update, threadId, why);
        }
        // About the thread, not the channel (no access-lost or channel-gone handling): another 4xx cannot succeed
        // on a retry; 429, 5xx and network failures retry later, keeping the thread.
        if (err instanceof DiscordAPIError && err.status < 500 && err.status !== 429)
          return { ok: false, retry: false, error: errorText(err), threadId };
        return { ...(await mapError(err, destination, options)), threadId };
      }
    }
  };

  const sender: AlertSender = {
    kind: 'discord-channel',
    send: (destination, row: OutboxRow) =>
      post(destination, alertMessage(row, options.isQuiet?.(destination) ?? false)),
    sendDigest: (destination, rows) =>
      post(destination, digestMessage(rows, options.isQuiet?.(destination) ?? false)),
    async sendUpdate(destination, row: UpdatedAlert, update, all): Promise<UpdateResult> {
      if (update.kind === 'follow-up' && row.remoteId && !row.sharesMessage)
        return followUpInThread(destination, row, row.remoteId, update);
      if (update.kind === 'follow-up' || !row.remoteId)
        return post(destination, followUpMessage(row, update));
      try {
        await options.rest.patch(Routes.channelMessage(destination.target, row.remoteId), {
          body: alsoReportedEdit(row, all),
        });
        return { ok: true, remoteId: row.remoteId };
      } catch (err) {
        // The alert was deleted by a moderator: nothing left to edit, and that is their call.
        if (codeOf(err) === DISCORD_CODES.unknownMessage) {
          return { ok: false, retry: false, error: 'the alert message was deleted' };
        }
        return mapError(err, destination, options);
      }
    },
  };
  return sender;
}

function errorText(err: unknown): string {
  if (err instanceof DiscordAPIError) return `Discord ${err.status} ${err.message} (${Number(err.code)})`;
  return err instanceof Error ? err.message : String(err);
}

async function mapError(
  err: unknown,
  destination: DestinationRow,
  options: ChannelSenderOptions,
): Promise<SendResult> {
  if (err instanceof DiscordAPIError) {
    const code = Number(err.code);
    const error = `Discord ${err.status} ${err.message} (${code})`;
    if (code === DISCORD_CODES.missingAccess || code === DISCORD_CODES.missingPermissions) {
      await options.onAccessLost?.(destination, `${err.message}`);
      return { ok: false, retry: false, error, disableDestination: true };
    }
    if (code === DISCORD_CODES.unknownChannel || code === DISCORD_CODES.unknownGuild) {
      await options.onChannelGone?.(destination);
      return { ok: false, retry: false, error, disableDestination: true };
    }
    if (err.status === 429 || err.status >= 500) return { ok: false, retry: true, error };
    // Any other 4xx means this message is wrong (a bug): retrying the same body cannot help.
    return { ok: false, retry: false, error };
  }
  if (err instanceof RateLimitError) {
    return {
      ok: false,
      retry: true,
      error: `rate limited by Discord on ${err.route}`,
      retryAfterMs: err.retryAfter,
    };
  }
  if (err instanceof HTTPError)
    return { ok: false, retry: true, error: `Discord ${err.status} ${err.message}` };
  // Timeouts (AbortError) and network failures: discord.js already retried; the outbox retries later.
  const name = err instanceof Error ? err.name : 'error';
  const message = err instanceof Error ? err.message : String(err);
  return { ok: false, retry: true, error: `Discord request failed: ${name}: ${message.slice(0, 200)}` };
}
