import { Client, Events, GatewayIntentBits, PermissionFlagsBits } from 'discord.js';
import type { Guild, Interaction, TextChannel } from 'discord.js';
import { startFakeDiscord } from './index.js';
import type { FakeDiscord } from './index.js';

/** One guild set up to exercise permission arithmetic, for the fake's own tests. */
export const GUILD = '100000000000000001';
export const OWNER = '200000000000000001';
export const BOT = '200000000000000009';
export const NEWS_ROLE = '300000000000000001';
export const ALERTS = '400000000000000001';
/** @everyone may not send here, and the bot has no overwrite of its own: it can read but not post. */
export const READONLY = '400000000000000002';
/** Hidden from @everyone; a member overwrite lets the bot in but takes Embed Links away. */
export const PRIVATE = '400000000000000003';

const P = PermissionFlagsBits;

export interface Newsroom {
  discord: FakeDiscord;
  client: Client;
  loginMs: number;
  /** Replaces what the client does on interactionCreate; failures land in `handlerErrors`. */
  onInteraction(handler: (interaction: Interaction) => Promise<void>): void;
  handlerErrors: unknown[];
  guild(): Guild;
  channel(id: string): TextChannel;
  stop(): Promise<void>;
}

export async function startNewsroom(): Promise<Newsroom> {
  const discord = await startFakeDiscord({
    botUser: { id: BOT, username: 'wirewatch' },
    heartbeatIntervalMs: 200,
    guilds: [
      {
        id: GUILD,
        name: 'Newsroom',
        ownerId: OWNER,
        roles: [
          { id: GUILD, permissions: P.ViewChannel | P.ReadMessageHistory },
          { id: NEWS_ROLE, name: 'news', mentionable: true },
        ],
        botPermissions: P.ViewChannel | P.SendMessages | P.EmbedLinks,
        channels: [
          { id: ALERTS, name: 'alerts' },
          {
            id: READONLY,
            name: 'readonly',
            permissionOverwrites: [{ id: GUILD, type: 'role', deny: P.SendMessages }],
          },
          {
            id: PRIVATE,
            name: 'private',
            permissionOverwrites: [
              { id: GUILD, type: 'role', deny: P.ViewChannel },
              { id: BOT, type: 'member', allow: P.ViewChannel, deny: P.EmbedLinks },
            ],
          },
        ],
      },
    ],
  });
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: discord.apiBase } });
  let handler: (interaction: Interaction) => Promise<void> = async () => {};
  const handlerErrors: unknown[] = [];
  client.on(Events.InteractionCreate, (interaction) => {
    handler(interaction).catch((error: unknown) => handlerErrors.push(error));
  });
  const started = Date.now();
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login('fake-token');
  await ready;
  const loginMs = Date.now() - started;
  const guild = (): Guild => {
    const cached = client.guilds.cache.get(GUILD);
    if (!cached) throw new Error('newsroom guild is not cached');
    return cached;
  };
  return {
    discord,
    client,
    loginMs,
    onInteraction: (next) => {
      handler = next;
    },
    handlerErrors,
    guild,
    channel: (id) => guild().channels.cache.get(id) as TextChannel,
    async stop() {
      await client.destroy();
      await discord.close();
    },
  };
}
