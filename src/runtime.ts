import { createConsoleSender } from './adapters/delivery/console-sender.js';
import { createWebhookSender } from './adapters/delivery/discord-webhook-sender.js';
import { createFeedParser } from './adapters/feed-parser/feed-parser.js';
import { createFeedFetcher, type HttpFeedFetcher } from './adapters/http/feed-fetcher.js';
import { startHealthServer, tickPeriodMs, type HealthServer } from './adapters/health-server.js';
import { createDiscordBot, type DiscordBot } from './adapters/discord/discord-bot.js';
import { createLogger } from './adapters/logger.js';
import { createMetrics, type Metrics } from './adapters/metrics.js';
import { openStore } from './adapters/sqlite/sqlite-store.js';
import type { Logger } from 'pino';
import { createApp, type App } from './app.js';
import { FeedManagement } from './app/feed-management.js';
import { feedHealthNotices } from './app/feed-notices.js';
import type { PollFeedDeps } from './app/poll-feed.js';
import { GuildAdmin } from './app/guild-admin.js';
import { WatchManagement } from './app/watch-management.js';
import type { AlertSender, Clock, DestinationKind, DestinationRow, FeedFetcher, Store } from './app/ports.js';
import { DEFAULT_STORY_WINDOW_MS } from './app/story-grouping.js';
import type { DestinationPolicy } from './app/story-ports.js';
import { configSecrets } from './config/index.js';
import type { WirewatchConfig } from './config/index.js';
import { USER_AGENT } from './version.js';

export interface Runtime {
  app: App;
  store: Store;
  log: Logger;
  metrics: Metrics;
  /** The Discord bot when a token is configured (start it with `discord.start()` before `app.start()`). */
  discord: DiscordBot | null;
  /** Starts /healthz, /readyz and /metrics when config.health.port > 0 (else null); throws HealthServerError
   * when the port cannot be bound. Closed by close(). */
  startHealthServer(): Promise<HealthServer | null>;
  /** Stops the app, closes the health server and the store. Safe to call twice. */
  close(): Promise<void>;
}

export interface RuntimeOptions {
  /** Where console alerts go (stdout). */
  write: (text: string) => void;
  /** Log stream; stdout when absent. */
  logDestination?: NodeJS.WritableStream;
  prettyLogs: boolean;
  clock?: Clock;
  /** Replaces the HTTP fetcher (the demo and tests pass one that may reach their loopback server). */
  fetcher?: FeedFetcher;
}

/**
 * Builds the running bot from a resolved config: the one place where adapters meet the use cases. The config file's
 * feeds, watches and destinations are written to the database first, beside those added from Discord.
 */
export function createRuntime(config: WirewatchConfig, options: RuntimeOptions): Runtime {
  const log = createLogger({
    level: config.logLevel,
    pretty: options.prettyLogs,
    secrets: configSecrets(config),
    destination: options.logDestination,
  });
  const store = openStore(config.databasePath);
  const now = options.clock?.now() ?? new Date();
  store.syncConfig({
    now,
    feeds: config.feeds.map((f) => ({
      name: f.name,
      url: f.url,
      intervalSec: f.intervalSec,
      intervalExplicit: f.intervalExplicit,
    })),
    destinations: config.destinations.map((d) => ({
      name: d.name,
      kind: d.type,
      target: d.type === 'discord-webhook' ? d.url : '',
    })),
    watches: config.watches.map((w) => ({
      name: w.name,
      query: w.query,
      feeds: w.feeds,
      destinations: w.destinations,
    })),
  });
  const metrics = createMetrics({ outboxDepth: () => store.outboxDepth() });
  const ownFetchers: HttpFeedFetcher[] = [];
  const fetcherFor = (allowPrivateNetworks: boolean): HttpFeedFetcher => {
    const created = createFeedFetcher({
      timeoutMs: config.fetch.timeoutSec * 1000,
      maxBodyBytes: config.fetch.maxBodyBytes,
      maxRedirects: config.fetch.maxRedirects,
      maxPerHost: config.fetch.maxPerHost,
      userAgent: USER_AGENT,
      allowPrivateNetworks,
      allowedHosts: config.fetch.allowedHosts,
    });
    ownFetchers.push(created);
    return created;
  };
  const fetcher = options.fetcher ?? fetcherFor(config.fetch.allowPrivateNetworks);
  // Feeds from the config file are the operator's own choice: with trustConfigFeeds they may reach private
  // networks, while feeds pasted in from Discord stay behind the address policy.
  const trustedFetcher =
    !options.fetcher && config.fetch.trustConfigFeeds && !config.fetch.allowPrivateNetworks
      ? fetcherFor(true)
      : undefined;
  const senders = new Map<DestinationKind, AlertSender>([
    ['console', createConsoleSender(options.write)],
    ['discord-webhook', createWebhookSender({ userAgent: USER_AGENT })],
  ]);
  let guilds: GuildAdmin | null = null;
  const app = createApp({
    digestThreshold: (destination) => guilds?.digestThresholdFor(destination) ?? null,
    stories:
      config.stories?.enabled === false
        ? null
        : {
            windowMs: config.stories ? config.stories.windowSec * 1000 : DEFAULT_STORY_WINDOW_MS,
            threshold: config.stories?.threshold,
            followUps: config.stories?.followUps ?? false,
          },
    policy: (destination) => destinationPolicy(store, config, destination),
    store,
    fetcher,
    trustedFetcher,
    parser: createFeedParser(),
    senders,
    log,
    clock: options.clock,
    events: metrics.events,
    settings: {
      schedule: config.poll.schedule,
      concurrency: config.poll.concurrency,
      timing: {
        defaultIntervalSec: config.poll.defaultIntervalSec,
        minIntervalSec: config.poll.minIntervalSec,
        maxIntervalSec: config.poll.maxIntervalSec,
        jitter: config.poll.jitter,
      },
      failureThreshold: config.poll.failureThreshold,
      moveAfter: 3,
      deliveryIntervalMs: 5_000,
    },
    onFeedHealth: (feed, change, problem) => {
      (change === 'failing' ? log.error.bind(log) : log.info.bind(log))(
        { feedId: feed.id, url: feed.url, code: problem?.code },
        change === 'failing'
          ? `feed is failing after ${config.poll.failureThreshold} attempts: ${problem?.message ?? ''}; still retrying`
          : 'feed recovered',
      );
      tellSubscribers(feed, change, problem);
    },
  });
  // Discord servers subscribed to a feed get one notice when it starts failing and one when it recovers.
  const pendingNotices = new Set<Promise<unknown>>();
  const tellSubscribers: NonNullable<PollFeedDeps['onFeedHealth']> = (feed, change, problem) => {
    const bot = discord;
    if (!bot) return;
    try {
      const clock = options.clock ?? { now: () => new Date() };
      const notices = feedHealthNotices({ store, clock }, feed, change, problem);
      const sending = Promise.all(notices.map((n) => bot.postNotice(n.channelId, n.content))).finally(() =>
        pendingNotices.delete(sending),
      );
      pendingNotices.add(sending);
    } catch (err) {
      log.error({ err, feedId: feed.id }, 'could not record the notice about a failing feed');
    }
  };
  let discord: DiscordBot | null = null;
  if (config.discord.enabled && config.discord.token) {
    const clock = options.clock ?? { now: () => new Date() };
    const timing = {
      defaultIntervalSec: config.poll.defaultIntervalSec,
      minIntervalSec: config.poll.minIntervalSec,
      maxIntervalSec: config.poll.maxIntervalSec,
      jitter: config.poll.jitter,
    };
    guilds = new GuildAdmin({
      store,
      watches: app.watches,
      clock,
      log,
      digestThreshold: config.discord.digestThreshold,
      failureThreshold: config.poll.failureThreshold,
    });
    discord = createDiscordBot({
      token: config.discord.token,
      apiBase: config.discord.apiBase,
      log,
      services: {
        // `fetcher` follows fetch.allowPrivateNetworks: URLs typed in Discord never get the config feeds' trust.
        feeds: new FeedManagement({
          store,
          fetcher,
          parser: createFeedParser(),
          watches: app.watches,
          clock,
          timing,
          limits: config.discord.limits,
        }),
        watches: new WatchManagement({ store, watches: app.watches, clock, limits: config.discord.limits }),
        guilds,
        clock,
        log,
        failureThreshold: config.poll.failureThreshold,
      },
    });
    senders.set('discord-channel', discord.sender);
  }
  let closed = false;
  let health: HealthServer | null = null;
  return {
    app,
    store,
    log,
    metrics,
    discord,
    async startHealthServer() {
      if (config.health.port === 0 || closed) return null;
      health ??= await startHealthServer({
        host: config.health.host,
        port: config.health.port,
        metrics,
        readiness: {
          databaseOpen: () => !closed && Number.isInteger(store.outboxDepth()),
          lastTickAt: metrics.lastTickAt,
          // Three missed ticks, and never less than five minutes: a slow tick (feeds timing out) is not a stall.
          maxTickAgeMs: Math.max(3 * tickPeriodMs(config.poll.schedule), 300_000),
          discordReady: discord ? () => discord?.isReady() === true : undefined,
        },
      });
      return health;
    },
    async close() {
      if (closed) return;
      closed = true;
      await app.stop();
      await Promise.allSettled([...pendingNotices]);
      await discord?.stop();
      await health?.close();
      await Promise.all(ownFetchers.map((f) => f.close()));
      store.close();
    },
  };
}

/** A destination's quiet hours and rate cap: what was set from Discord, else what the config file declares. */
function destinationPolicy(
  store: Store,
  config: WirewatchConfig,
  destination: DestinationRow,
): DestinationPolicy {
  const own = store.getDestinationPolicy(destination.id);
  const declared =
    destination.scope === 'config' ? config.destinations.find((d) => d.name === destination.name) : undefined;
  return {
    quietHours: own.quietHours ?? declared?.quietHours ?? null,
    rateCap: own.rateCap ?? declared?.rateCap ?? null,
  };
}
