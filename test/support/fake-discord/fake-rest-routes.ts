import { PermissionFlagsBits } from 'discord.js';
import type { FakeCommandStore } from './fake-command-store.js';
import { validateCommand } from './fake-command-store.js';
import type { Route, RouteRequest, RouteResult } from './fake-discord-server.js';
import {
  channelPayload,
  guildPayload,
  memberPayload,
  messagePayload,
  rolePayload,
  userPayload,
} from './fake-discord-payloads.js';
import type { FakeChannel, FakeDiscordState } from './fake-discord-state.js';
import type { FakeMessageStore } from './fake-message-store.js';
import { validateMessageBody } from './fake-message-validation.js';
import { isThread, startThreadFromMessage, threadPostRefusal } from './fake-threads.js';

export interface RestRouteDeps {
  state: FakeDiscordState;
  messages: FakeMessageStore;
  commands: FakeCommandStore;
  applicationId: string;
  gatewayUrl: () => string;
  /** Answer 50001/50013 when the bot lacks View Channel, Send Messages, Embed Links or Attach Files, like Discord. */
  enforcePermissions: boolean;
  /** Sends a dispatch to connected clients (thread events). */
  dispatch: (event: string, data: unknown) => void;
}

const P = PermissionFlagsBits;

function error(status: number, code: number, message: string): RouteResult {
  return { status, body: { code, message } };
}

export const unknownChannel = error(404, 10003, 'Unknown Channel');
export const missingAccess = error(403, 50001, 'Missing Access');
export const missingPermissions = error(403, 50013, 'Missing Permissions');
const unknownMessage = error(404, 10008, 'Unknown Message');
const unknownGuild = error(404, 10004, 'Unknown Guild');

function objectBody(req: RouteRequest): Record<string, unknown> {
  return req.body !== null && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
}

/** Gateway discovery, users, channels, messages, guilds and application commands. */
export function restRoutes(deps: RestRouteDeps): Route[] {
  const { state, messages, commands } = deps;

  const visibleChannel = (id: string): FakeChannel | RouteResult => {
    const channel = state.channel(id);
    if (!channel) return unknownChannel;
    if (deps.enforcePermissions && !state.botCan(id, P.ViewChannel)) return missingAccess;
    return channel;
  };
  const isResult = (value: FakeChannel | RouteResult): value is RouteResult => 'status' in value;

  const createMessage = (req: RouteRequest): RouteResult => {
    const channel = visibleChannel(req.params[0] ?? '');
    if (isResult(channel)) return channel;
    const body = objectBody(req);
    // In a thread, Send Messages in Threads stands for Send Messages; an archived thread may refuse the post.
    const threadRefusal = threadPostRefusal(deps, channel);
    if (threadRefusal) return threadRefusal;
    if (deps.enforcePermissions) {
      const hasEmbeds = Array.isArray(body.embeds) && body.embeds.length > 0;
      if (!isThread(channel) && !state.botCan(channel.id, P.SendMessages)) return missingPermissions;
      if (hasEmbeds && !state.botCan(channel.id, P.EmbedLinks)) return missingPermissions;
      if (req.files.length > 0 && !state.botCan(channel.id, P.AttachFiles)) return missingPermissions;
    }
    const invalid = validateMessageBody(body, req.files.length, 'create');
    if (invalid) return invalid;
    const { message } = messages.create({
      channelId: channel.id,
      guildId: channel.guildId,
      body,
      files: req.files,
    });
    return { status: 200, body: messagePayload(state, message) };
  };

  const channelMessage = (req: RouteRequest, then: (id: string) => RouteResult): RouteResult => {
    const channel = visibleChannel(req.params[0] ?? '');
    if (isResult(channel)) return channel;
    const message = messages.get(req.params[1] ?? '');
    if (!message || message.deleted || message.channelId !== channel.id) return unknownMessage;
    return then(message.id);
  };

  const guildOf = (req: RouteRequest) => state.guild(req.params[0] ?? '');

  const commandScope = (req: RouteRequest): { guildId: string | undefined; denied?: RouteResult } => {
    const [appId, guildId] = req.params;
    if (appId !== deps.applicationId) {
      return {
        guildId,
        denied: error(403, 20012, 'You are not authorized to perform this action on this application'),
      };
    }
    if (guildId !== undefined && !state.guild(guildId)) return { guildId, denied: missingAccess };
    return { guildId };
  };

  const putCommands = (req: RouteRequest): RouteResult => {
    const { guildId, denied } = commandScope(req);
    if (denied) return denied;
    const bodies = Array.isArray(req.body) ? (req.body as Record<string, unknown>[]) : [];
    for (const body of bodies) {
      const invalid = validateCommand(body);
      if (invalid) return invalid;
    }
    return { status: 200, body: commands.overwrite(guildId, bodies) };
  };

  const postCommand = (req: RouteRequest): RouteResult => {
    const { guildId, denied } = commandScope(req);
    if (denied) return denied;
    const invalid = validateCommand(objectBody(req));
    if (invalid) return invalid;
    const { command, created } = commands.upsert(guildId, objectBody(req));
    return { status: created ? 201 : 200, body: command };
  };

  const getCommands = (req: RouteRequest): RouteResult => {
    const { guildId, denied } = commandScope(req);
    return denied ?? { status: 200, body: commands.list(guildId) };
  };

  const deleteCommand = (req: RouteRequest): RouteResult => {
    const { guildId, denied } = commandScope(req);
    if (denied) return denied;
    const removed = commands.remove(guildId, req.params[2] ?? '');
    return removed ? { status: 204 } : error(404, 10063, 'Unknown application command');
  };

  const application = (): RouteResult => ({
    status: 200,
    body: {
      id: deps.applicationId,
      name: state.botUser.username,
      icon: null,
      description: '',
      bot_public: true,
      bot_require_code_grant: false,
      verify_key: '0'.repeat(64),
      flags: 0,
      bot: userPayload(state.botUser),
      owner: userPayload({ id: deps.applicationId, username: 'owner', bot: false }),
      approximate_guild_count: state.guilds.size,
    },
  });

  const route = (method: string, pattern: RegExp, handler: (req: RouteRequest) => RouteResult): Route => ({
    method,
    pattern,
    handler,
  });
  const cmds = '^/applications/(\\d+)(?:/guilds/(\\d+))?/commands';
  return [
    route('GET', /^\/gateway\/bot$/, () => ({
      status: 200,
      body: {
        url: deps.gatewayUrl(),
        shards: 1,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
      },
    })),
    {
      method: 'GET',
      pattern: /^\/gateway$/,
      handler: () => ({ status: 200, body: { url: deps.gatewayUrl() } }),
      noAuth: true,
    },
    route('GET', /^\/users\/@me$/, () => ({ status: 200, body: userPayload(state.botUser) })),
    route('GET', /^\/(?:oauth2\/)?applications\/@me$/, application),
    route('GET', /^\/channels\/(\d+)$/, (req) => {
      const channel = visibleChannel(req.params[0] ?? '');
      return isResult(channel) ? channel : { status: 200, body: channelPayload(channel) };
    }),
    route('POST', /^\/channels\/(\d+)\/messages$/, createMessage),
    route('GET', /^\/channels\/(\d+)\/messages$/, (req) => {
      const channel = visibleChannel(req.params[0] ?? '');
      if (isResult(channel)) return channel;
      const limit = Number(req.query.get('limit') ?? 50);
      const newestFirst = messages.inChannel(channel.id).reverse().slice(0, limit);
      return { status: 200, body: newestFirst.map((m) => messagePayload(state, m)) };
    }),
    route('GET', /^\/channels\/(\d+)\/messages\/(\d+)$/, (req) =>
      channelMessage(req, (id) => ({ status: 200, body: messagePayload(state, messages.get(id)!) })),
    ),
    route('PATCH', /^\/channels\/(\d+)\/messages\/(\d+)$/, (req) =>
      channelMessage(req, (id) => {
        const invalid = validateMessageBody(objectBody(req), req.files.length, 'edit');
        if (invalid) return invalid;
        const edited = messages.edit(messages.get(id)!, objectBody(req), req.files);
        return { status: 200, body: messagePayload(state, edited) };
      }),
    ),
    route('DELETE', /^\/channels\/(\d+)\/messages\/(\d+)$/, (req) =>
      channelMessage(req, (id) => {
        messages.get(id)!.deleted = true;
        return { status: 204 };
      }),
    ),
    route('POST', /^\/channels\/(\d+)\/messages\/(\d+)\/threads$/, (req) =>
      startThreadFromMessage(deps, req),
    ),
    route('GET', /^\/guilds\/(\d+)$/, (req) => {
      const guild = guildOf(req);
      return guild ? { status: 200, body: guildPayload(guild) } : unknownGuild;
    }),
    route('GET', /^\/guilds\/(\d+)\/channels$/, (req) => {
      const guild = guildOf(req);
      // Like Discord, threads are not listed with the guild's channels.
      const channels = guild ? [...guild.channels.values()].filter((c) => !isThread(c)) : [];
      return guild ? { status: 200, body: channels.map(channelPayload) } : unknownGuild;
    }),
    route('GET', /^\/guilds\/(\d+)\/roles$/, (req) => {
      const guild = guildOf(req);
      return guild ? { status: 200, body: [...guild.roles.values()].map(rolePayload) } : unknownGuild;
    }),
    route('GET', /^\/guilds\/(\d+)\/members\/(\d+)$/, (req) => {
      const guild = guildOf(req);
      if (!guild) return unknownGuild;
      const member = guild.members.get(req.params[1] ?? '');
      return member ? { status: 200, body: memberPayload(member) } : error(404, 10007, 'Unknown Member');
    }),
    route('GET', new RegExp(`${cmds}$`), getCommands),
    route('PUT', new RegExp(`${cmds}$`), putCommands),
    route('POST', new RegExp(`${cmds}$`), postCommand),
    route('DELETE', new RegExp(`${cmds}/(\\d+)$`), deleteCommand),
  ];
}
