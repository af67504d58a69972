import { ChannelType, PermissionFlagsBits } from 'discord.js';
import type { RouteRequest, RouteResult } from './fake-discord-server.js';
import type { FakeChannel, FakeDiscordState } from './fake-discord-state.js';
import type { FakeMessageStore } from './fake-message-store.js';

/** What makes a channel a thread: who started it, from which message, and whether it still takes posts. */
export interface FakeThreadMeta {
  ownerId: string;
  /** The message it was started from (the thread has that message's id). */
  messageId: string | null;
  archived: boolean;
  locked: boolean;
  /** Minutes without posts before Discord archives it. */
  autoArchiveDuration: number;
  archivedAt: number | null;
}

export interface ThreadRouteDeps {
  state: FakeDiscordState;
  messages: FakeMessageStore;
  enforcePermissions: boolean;
  /** Tells connected clients (THREAD_CREATE, THREAD_UPDATE). */
  dispatch: (event: string, data: unknown) => void;
}

const P = PermissionFlagsBits;
const AUTO_ARCHIVE_MINUTES = [60, 1440, 4320, 10080];

function error(status: number, code: number, message: string, errors?: unknown): RouteResult {
  return { status, body: { code, message, ...(errors ? { errors } : {}) } };
}

export const isThread = (channel: FakeChannel): boolean => channel.thread !== undefined;

function invalidForm(field: string, code: string, message: string): RouteResult {
  return error(400, 50035, 'Invalid Form Body', { [field]: { _errors: [{ code, message }] } });
}

/**
 * POST /channels/:channel/messages/:message/threads, as Discord answers it: a public thread (type 11) whose id is
 * the message's, under a text or announcement channel, with Create Public Threads; one thread per message.
 */
export function startThreadFromMessage(deps: ThreadRouteDeps, req: RouteRequest): RouteResult {
  const { state } = deps;
  const parent = state.channel(req.params[0] ?? '');
  if (!parent) return error(404, 10003, 'Unknown Channel');
  if (deps.enforcePermissions && !state.botCan(parent.id, P.ViewChannel))
    return error(403, 50001, 'Missing Access');
  const message = deps.messages.get(req.params[1] ?? '');
  if (!message || message.deleted || message.channelId !== parent.id)
    return error(404, 10008, 'Unknown Message');
  if (parent.type !== ChannelType.GuildText && parent.type !== ChannelType.GuildAnnouncement)
    return error(400, 50024, 'Cannot execute action on this channel type');
  if (deps.enforcePermissions && !state.botCan(parent.id, P.CreatePublicThreads))
    return error(403, 50013, 'Missing Permissions');
  const body = (req.body ?? {}) as Record<string, unknown>;
  const name = typeof body.name === 'string' ? body.name : '';
  if (name.length < 1 || name.length > 100)
    return invalidForm('name', 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
  const archiveAfter = body.auto_archive_duration ?? 4320;
  if (typeof archiveAfter !== 'number' || !AUTO_ARCHIVE_MINUTES.includes(archiveAfter))
    return invalidForm(
      'auto_archive_duration',
      'BASE_TYPE_CHOICES',
      'Value must be one of (60, 1440, 4320, 10080).',
    );
  if (state.channel(message.id))
    return error(400, 160004, 'A thread has already been created for this message');
  const guild = state.requireGuild(parent.guildId);
  const thread: FakeChannel = {
    id: message.id,
    guildId: parent.guildId,
    name,
    type: ChannelType.PublicThread,
    position: 0,
    parentId: parent.id,
    overwrites: [],
    thread: {
      ownerId: state.botUser.id,
      messageId: message.id,
      archived: false,
      locked: false,
      autoArchiveDuration: archiveAfter,
      archivedAt: null,
    },
  };
  guild.channels.set(thread.id, thread);
  deps.dispatch('THREAD_CREATE', { ...threadPayload(thread), newly_created: true });
  return { status: 201, body: threadPayload(thread) };
}

/**
 * Whether the bot may post in `thread` now, as Discord decides: Send Messages in Threads (from the parent), and an
 * archived thread takes a post only when it is not locked, which unarchives it. Null: go ahead.
 */
export function threadPostRefusal(deps: ThreadRouteDeps, thread: FakeChannel): RouteResult | null {
  const meta = thread.thread;
  if (!meta) return null;
  if (deps.enforcePermissions && !deps.state.botCan(thread.id, P.SendMessagesInThreads))
    return error(403, 50013, 'Missing Permissions');
  if (meta.archived && meta.locked) return error(400, 50083, 'Thread is archived');
  if (meta.archived) {
    meta.archived = false;
    meta.archivedAt = null;
    deps.dispatch('THREAD_UPDATE', threadPayload(thread));
  }
  return null;
}

/** A thread channel as Discord sends it (channel fields plus thread_metadata). */
export function threadPayload(thread: FakeChannel): Record<string, unknown> {
  const meta = thread.thread;
  return {
    id: thread.id,
    type: thread.type,
    guild_id: thread.guildId,
    parent_id: thread.parentId,
    name: thread.name,
    owner_id: meta?.ownerId ?? null,
    last_message_id: null,
    rate_limit_per_user: 0,
    message_count: 0,
    member_count: 1,
    flags: 0,
    total_message_sent: 0,
    thread_metadata: {
      archived: meta?.archived ?? false,
      auto_archive_duration: meta?.autoArchiveDuration ?? 4320,
      archive_timestamp: new Date(meta?.archivedAt ?? Date.now()).toISOString(),
      locked: meta?.locked ?? false,
    },
  };
}
