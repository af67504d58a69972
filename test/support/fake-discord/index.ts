/**
 * A small fake Discord (REST over node:http, gateway over `ws`) on 127.0.0.1, driven by the real discord.js client.
 *
 *   const discord = await startFakeDiscord({ guilds: [{ id: G, ownerId: U, channels: [{ id: C }], botPermissions }] });
 *   const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: discord.apiBase } });
 *   await client.login('fake-token');               // READY + one GUILD_CREATE per guild, no 15 s wait
 *   const i = discord.interaction({ guildId: G, channelId: C, name: 'feed', subcommand: 'add', options: { url } });
 *   const reply = await i.reply();                  // reply.content, reply.embeds, reply.flags & 64 (ephemeral)
 *   await discord.waitFor(() => discord.messages(C).length === 1);
 *   discord.failNext({ method: 'POST', path: `/channels/${C}/messages`, ...discordErrors.rateLimited({ retryAfter: 1 }) });
 *   client.destroy(); await discord.close();
 *
 * Behaves like Discord where a bot could get it wrong: enforce_nonce returns the earlier message for a repeated
 * nonce (within `nonceWindowMs`); nonces over 25 characters, embeds over their limits and empty messages get 400
 * (50035 / 50006); sending without View Channel / Send Messages / Embed Links / Attach Files gets 403 50001 / 50013;
 * an interaction not answered within `ackTimeoutMs` (3 s) or answered twice gets 10062 / 40060; `message.pings`
 * says who a message really pings after allowed_mentions, Mention Everyone and role mentionability. A message can
 * start one public thread (POST …/messages/:id/threads, Create Public Threads; the thread has the message's id) that
 * takes posts with Send Messages in Threads; `threads()`, `archiveThread()` and `removeChannel()` drive them.
 * Paths in `requests` and `failNext` are relative to `/api/v10`, e.g. `/channels/1/messages`.
 * An interaction comes from the guild owner (all permissions) unless `user: { id, roles, permissions }` says
 * otherwise; option types come from the registered command when the bot registered one. `messages()` lists channel
 * posts only; interaction replies and follow-ups live on the interaction handle's `record`.
 * `newsroom-fixture.ts` shows a complete setup (roles, overwrites, a logged-in client).
 */
import { PermissionFlagsBits } from 'discord.js';
import type { FakeCommand } from './fake-command-store.js';
import { FakeCommandStore } from './fake-command-store.js';
import type { FakeRequest, FaultSpec } from './fake-discord-server.js';
import { FakeRestServer } from './fake-discord-server.js';
import { channelPayload, guildCreatePayload, rolePayload, userPayload } from './fake-discord-payloads.js';
import type {
  FakeChannel,
  FakeChannelSpec,
  FakeGuild,
  FakeGuildSpec,
  FakeUser,
  PermissionInput,
} from './fake-discord-state.js';
import { FakeDiscordState, snowflake, toBits } from './fake-discord-state.js';
import { FakeGateway } from './fake-gateway.js';
import type { WaitOptions } from './fake-interaction-handle.js';
import { FakeInteractionHandle, waitFor } from './fake-interaction-handle.js';
import { interactionRoutes } from './fake-interaction-routes.js';
import type { FakeAttachmentInput, FakeInteraction, InteractionSpec } from './fake-interactions.js';
import { FakeInteractionFactory } from './fake-interactions.js';
import type { FakeMessage } from './fake-message-store.js';
import { FakeMessageStore } from './fake-message-store.js';
import { restRoutes } from './fake-rest-routes.js';

export type { FakeCommand } from './fake-command-store.js';
export type { FakeRequest, FaultSpec } from './fake-discord-server.js';
export type * from './fake-discord-state.js';
export { FakeDiscordState, ALL_PERMISSIONS, DEFAULT_EVERYONE_PERMISSIONS } from './fake-discord-state.js';
export type { FakeIdentify } from './fake-gateway.js';
export { FakeGateway } from './fake-gateway.js';
export { FakeInteractionHandle, waitFor } from './fake-interaction-handle.js';
export type { AutocompleteChoice, WaitOptions } from './fake-interaction-handle.js';
export type * from './fake-interactions.js';
export type { FakeFile, FakeMessage, FakePings } from './fake-message-store.js';
export { discordErrors } from './discord-errors.js';

export interface FakeDiscordOptions {
  guilds?: FakeGuildSpec[];
  botUser?: { id?: string; username?: string };
  /** Defaults to the bot user's id, as for every Discord bot. */
  applicationId?: string;
  /** When set, REST and IDENTIFY must use exactly this token (401 / close 4004 otherwise); any token by default. */
  token?: string;
  heartbeatIntervalMs?: number;
  /** How long enforce_nonce remembers a nonce (Discord: "the past few minutes"); default 5 minutes. */
  nonceWindowMs?: number;
  /** Interaction acknowledgement deadline (Discord: 3 s); 0 disables it. */
  ackTimeoutMs?: number;
  /** Answer 403 when the bot lacks channel permissions; default true. */
  enforcePermissions?: boolean;
  /** Clock for message timestamps and the nonce window. */
  now?: () => number;
}

export interface FakeDiscord {
  /** For `new Client({ rest: { api } })`: http://127.0.0.1:PORT/api (discord.js appends /v10). */
  readonly apiBase: string;
  readonly gatewayUrl: string;
  readonly applicationId: string;
  readonly botUser: FakeUser;
  readonly state: FakeDiscordState;
  readonly gateway: FakeGateway;
  /** Every REST request in arrival order (live array); Authorization is recorded only as `auth`. */
  readonly requests: FakeRequest[];
  /** Interactions sent with `interaction()`, oldest first. */
  readonly interactions: FakeInteraction[];
  /** Messages the bot posted with POST /channels/:id/messages (deleted ones excluded), oldest first. */
  messages(channelId?: string): FakeMessage[];
  message(messageId: string): FakeMessage | undefined;
  /** Registered commands: global when no guild is given. */
  commands(guildId?: string): FakeCommand[];
  /** Makes the next matching REST request(s) fail; see `discordErrors` for realistic bodies and headers. */
  failNext(fault: FaultSpec): void;
  /** Answers matching requests `ms` late, after they took effect (see FakeRestServer.delayResponses). */
  delayResponses(spec: { method?: string; path: string | RegExp; ms: number } | null): void;
  /** Sends an INTERACTION_CREATE to the bot; await `.reply()`, `.callback()`, `.choices()` or `.followUp()`. */
  interaction(spec: InteractionSpec): FakeInteractionHandle;
  /** Sends any dispatch event to every connected session; returns how many sessions got it. */
  dispatch(event: string, data: unknown): number;
  /** The bot joins a guild: adds it and dispatches GUILD_CREATE (discord.js emits guildCreate). */
  addGuild(spec: FakeGuildSpec): FakeGuild;
  /** The bot is removed from a guild: drops it and dispatches GUILD_DELETE (discord.js emits guildDelete). */
  removeGuild(guildId: string): void;
  /** Adds or replaces a channel and dispatches CHANNEL_CREATE / CHANNEL_UPDATE. */
  putChannel(guildId: string, spec: FakeChannelSpec): FakeChannel;
  /** Deletes a channel or thread (later sends get 10003) and dispatches CHANNEL_DELETE / THREAD_DELETE. */
  removeChannel(channelId: string): void;
  /** Threads (live ones) under `parentId`, or all of them, oldest first. */
  threads(parentId?: string): FakeChannel[];
  /** Archives a thread as Discord does after its inactivity period; a locked one then refuses posts (50083). */
  archiveThread(threadId: string, options?: { locked?: boolean }): void;
  /** Changes a role's permissions and dispatches GUILD_ROLE_UPDATE. */
  setRolePermissions(guildId: string, roleId: string, permissions: PermissionInput): void;
  /** A file the bot can download from loopback, for attachment options built by hand. */
  hostAttachment(file: FakeAttachmentInput): { id: string; url: string; size: number; contentType: string };
  waitFor<T>(probe: () => T, options?: WaitOptions): Promise<NonNullable<T>>;
  /** Resolves once a client has identified (READY and GUILD_CREATEs sent). */
  waitForReady(options?: WaitOptions): Promise<void>;
  close(): Promise<void>;
}

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const now = options.now ?? Date.now;
  const botUser: FakeUser = {
    id: options.botUser?.id ?? snowflake(),
    username: options.botUser?.username ?? 'wirewatch',
    bot: true,
  };
  const applicationId = options.applicationId ?? botUser.id;
  const state = new FakeDiscordState(botUser);
  for (const guild of options.guilds ?? []) state.addGuild(guild);
  const messages = new FakeMessageStore(
    () => snowflake(now()),
    now,
    options.nonceWindowMs ?? 5 * 60_000,
    (channelId) => {
      const channel = state.channel(channelId);
      const guild = channel ? state.guild(channel.guildId) : undefined;
      const mentionEveryone = channel ? state.botCan(channelId, PermissionFlagsBits.MentionEveryone) : false;
      return {
        everyone: mentionEveryone,
        role: (id) => mentionEveryone || guild?.roles.get(id)?.mentionable === true,
      };
    },
  );
  const commands = new FakeCommandStore(applicationId, () => snowflake());
  const interactionMap = new Map<string, FakeInteraction>();
  const hosted = new Map<string, { filename: string; contentType: string; data: Buffer }>();
  let baseUrl = '';
  const hostAttachment = (file: FakeAttachmentInput) => {
    const id = snowflake();
    const data = typeof file.content === 'string' ? Buffer.from(file.content) : file.content;
    const contentType = file.contentType ?? 'application/octet-stream';
    hosted.set(id, { filename: file.filename, contentType, data });
    return {
      id,
      url: `http://${baseUrl}/attachments/${id}/${encodeURIComponent(file.filename)}`,
      size: data.length,
      contentType,
    };
  };
  const rest: FakeRestServer = new FakeRestServer({
    ...(options.token === undefined ? {} : { token: options.token }),
    routes: [
      ...restRoutes({
        state,
        messages,
        commands,
        applicationId,
        gatewayUrl: (): string => gateway.url,
        enforcePermissions: options.enforcePermissions ?? true,
        dispatch: (event, data) => void gateway.dispatch(event, data),
      }),
      ...interactionRoutes({
        state,
        messages,
        interactions: interactionMap,
        applicationId,
        ackTimeoutMs: options.ackTimeoutMs ?? 3000,
      }),
    ],
    serveRaw: (path) => {
      const file = hosted.get(/^\/attachments\/(\d+)\//.exec(path)?.[1] ?? '');
      return file ? { contentType: file.contentType, data: file.data } : undefined;
    },
  });
  const gateway: FakeGateway = new FakeGateway(
    rest.server,
    {
      ...(options.token === undefined ? {} : { token: options.token }),
      readyPayload: () => ({
        user: { ...userPayload(botUser), verified: true, mfa_enabled: false },
        guilds: [...state.guilds.keys()].map((id) => ({ id, unavailable: true })),
        application: { id: applicationId, flags: 0 },
        private_channels: [],
        relationships: [],
        presences: [],
        guild_join_requests: [],
        geo_ordered_rtc_regions: [],
        shard: [0, 1],
        _trace: ['fake-discord'],
      }),
      guildCreatePayloads: () => [...state.guilds.values()].map(guildCreatePayload),
    },
    { path: '/gateway', heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250 },
    () => `ws://${baseUrl}`,
  );
  const port = await rest.listen();
  baseUrl = `127.0.0.1:${port}`;
  const factory = new FakeInteractionFactory(
    state,
    commands,
    messages,
    { add: hostAttachment },
    applicationId,
  );
  const interactions: FakeInteraction[] = [];

  return {
    apiBase: `http://${baseUrl}/api`,
    gatewayUrl: gateway.url,
    applicationId,
    botUser,
    state,
    gateway,
    requests: rest.requests,
    interactions,
    messages: (channelId) =>
      channelId === undefined
        ? messages.all().filter((m) => !m.deleted && !m.interactionId)
        : messages.inChannel(channelId),
    message: (id) => messages.get(id),
    commands: (guildId) => commands.list(guildId),
    failNext: (fault) => rest.failNext(fault),
    delayResponses: (spec) => rest.delayResponses(spec),
    interaction(spec) {
      if (gateway.readySessions === 0) throw new Error('fake discord: no client is connected to the gateway');
      const record = factory.build(spec);
      interactionMap.set(record.id, record);
      interactions.push(record);
      gateway.dispatch('INTERACTION_CREATE', record.payload);
      return new FakeInteractionHandle(record, waitFor);
    },
    dispatch: (event, data) => gateway.dispatch(event, data),
    addGuild(spec) {
      const guild = state.addGuild(spec);
      gateway.dispatch('GUILD_CREATE', guildCreatePayload(guild));
      return guild;
    },
    removeGuild(guildId) {
      state.guilds.delete(guildId);
      gateway.dispatch('GUILD_DELETE', { id: guildId });
    },
    putChannel(guildId, spec) {
      const guild = state.requireGuild(guildId);
      const existing = guild.channels.get(spec.id);
      const channel = state.putChannel(guild, spec, existing?.position);
      gateway.dispatch(existing ? 'CHANNEL_UPDATE' : 'CHANNEL_CREATE', channelPayload(channel));
      return channel;
    },
    removeChannel(channelId) {
      const channel = state.requireChannel(channelId);
      state.requireGuild(channel.guildId).channels.delete(channelId);
      // A deleted thread's posts go with it (a thread started again from the message reuses its id).
      if (channel.thread) for (const m of messages.inChannel(channelId)) m.deleted = true;
      gateway.dispatch(channel.thread ? 'THREAD_DELETE' : 'CHANNEL_DELETE', channelPayload(channel));
    },
    threads: (parentId) =>
      [...state.guilds.values()]
        .flatMap((g) => [...g.channels.values()])
        .filter((c) => c.thread && (parentId === undefined || c.parentId === parentId)),
    archiveThread(threadId, archive = {}) {
      const thread = state.requireChannel(threadId);
      if (!thread.thread) throw new Error(`fake discord: ${threadId} is not a thread`);
      Object.assign(thread.thread, { archived: true, locked: archive.locked ?? false, archivedAt: now() });
      gateway.dispatch('THREAD_UPDATE', channelPayload(thread));
    },
    setRolePermissions(guildId, roleId, permissions) {
      const role = state.requireGuild(guildId).roles.get(roleId);
      if (!role) throw new Error(`fake discord: unknown role ${roleId}`);
      role.permissions = toBits(permissions);
      gateway.dispatch('GUILD_ROLE_UPDATE', { guild_id: guildId, role: rolePayload(role) });
    },
    hostAttachment,
    waitFor,
    async waitForReady(waitOptions) {
      await waitFor(() => gateway.readySessions > 0, { description: 'a client to identify', ...waitOptions });
    },
    async close() {
      await gateway.close();
      await rest.close();
    },
  };
}
