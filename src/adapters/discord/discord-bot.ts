import { Client, Events, GatewayIntentBits, Routes } from 'discord.js';
import type { AlertSender, Log } from '../../app/ports.js';
import type { BotServices } from './command-context.js';
import { createChannelSender } from './channel-sender.js';
import { createInteractionRouter } from './interaction-router.js';

export interface DiscordBotOptions {
  /** A secret: never logged. */
  token: string;
  /** REST base such as a rate-limit proxy (discord.js appends /v10); null: Discord's own. */
  apiBase: string | null;
  services: BotServices;
  log: Log;
}

export interface DiscordBot {
  readonly client: Client;
  /** The 'discord-channel' sender; usable once start() resolved. */
  readonly sender: AlertSender;
  /** Posts a plain message that pings nobody (a notice about a feed); false when Discord refused it. */
  postNotice(channelId: string, content: string): Promise<boolean>;
  /** Logs in and resolves when the gateway session is ready. */
  start(): Promise<void>;
  stop(): Promise<void>;
  isReady(): boolean;
}

/** Only the Guilds intent: slash commands need no message content, and the bot reads no messages. */
export function createDiscordClient(options: { apiBase: string | null }): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds],
    ...(options.apiBase ? { rest: { api: options.apiBase } } : {}),
  });
}

/** The Discord side of wirewatch: the gateway client, the command router, and alert delivery to channels. */
export function createDiscordBot(options: DiscordBotOptions): DiscordBot {
  const { services, log } = options;
  const client = createDiscordClient({ apiBase: options.apiBase });
  client.rest.setToken(options.token);
  const postNotice = async (channelId: string, content: string): Promise<boolean> => {
    try {
      await client.rest.post(Routes.channelMessages(channelId), {
        body: { content, allowed_mentions: { parse: [] } },
      });
      return true;
    } catch (err) {
      // The notice stays recorded for /wirewatch status; the channel may be what we lost access to.
      log.warn(
        { channelId, err: err instanceof Error ? err.message : String(err) },
        'could not post a notice',
      );
      return false;
    }
  };
  const sender = createChannelSender({
    rest: client.rest,
    isQuiet: (d) => services.guilds.isQuiet(d),
    onAccessLost: async (d, reason) => {
      const notice = services.guilds.accessLost(d, reason);
      if (notice) await postNotice(d.target, `⚠️ ${notice}`);
    },
    onChannelGone: (d) => services.guilds.channelGone(d),
  });
  const route = createInteractionRouter(services);
  client.on(Events.InteractionCreate, (interaction) => {
    route(interaction).catch((err: unknown) => log.error({ err }, 'interaction routing failed'));
  });
  // discord.js emits GuildDelete only when the bot was removed (an outage is GuildUnavailable instead).
  client.on(Events.GuildDelete, (guild) => {
    try {
      services.guilds.leaveGuild(guild.id);
    } catch (err) {
      log.error({ err, guildId: guild.id }, 'could not remove the subscriptions of a server the bot left');
    }
  });
  client.on(Events.GuildCreate, (guild) => log.info({ guildId: guild.id }, 'joined a Discord server'));
  client.on(Events.Error, (err) => log.error({ err }, 'Discord client error'));
  client.on(Events.ShardDisconnect, (event) =>
    log.warn({ code: event.code }, 'Discord gateway disconnected'),
  );
  client.rest.on('rateLimited', (info) =>
    log.warn(
      { route: info.route, retryAfterMs: info.retryAfter, global: info.global },
      'Discord rate limit: waiting',
    ),
  );
  return {
    client,
    sender,
    postNotice,
    isReady: () => client.isReady(),
    async start() {
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(options.token);
      await ready;
      log.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, 'Discord bot ready');
    },
    async stop() {
      await client.destroy();
    },
  };
}
