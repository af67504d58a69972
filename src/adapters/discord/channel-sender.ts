import { DiscordAPIError, HTTPError, RateLimitError, Routes } from 'discord.js';
import type { REST } from 'discord.js';
import type { AlertSender, DestinationRow, OutboxRow, SendResult } from '../../app/ports.js';
import {
  alertMessage,
  alsoReportedEdit,
  digestMessage,
  followUpMessage,
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
} as const;

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
  return {
    kind: 'discord-channel',
    send: (destination, row: OutboxRow) =>
      post(destination, alertMessage(row, options.isQuiet?.(destination) ?? false)),
    sendDigest: (destination, rows) =>
      post(destination, digestMessage(rows, options.isQuiet?.(destination) ?? false)),
    async sendUpdate(destination, row, update, all) {
      if (update.kind === 'follow-up' || !row.remoteId)
        return post(destination, followUpMessage(row, update));
      try {
        await options.rest.patch(Routes.channelMessage(destination.target, row.remoteId), {
          body: alsoReportedEdit(row, all),
        });
        return { ok: true, remoteId: row.remoteId };
      } catch (err) {
        // The alert was deleted by a moderator: nothing left to edit, and that is their call.
        if (err instanceof DiscordAPIError && Number(err.code) === 10008) {
          return { ok: false, retry: false, error: 'the alert message was deleted' };
        }
        return mapError(err, destination, options);
      }
    },
  };
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
