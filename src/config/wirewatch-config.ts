/**
 * The resolved configuration the rest of the app reads: every default applied, every environment override
 * merged, paths absolute, durations in seconds and sizes in bytes.
 */

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface WirewatchConfig {
  /** Absolute. */
  dataDir: string;
  /** Absolute: `<dataDir>/wirewatch.db`. */
  databasePath: string;
  logLevel: LogLevel;
  poll: {
    /** node-cron expression (validated) that drives the poll tick. */
    schedule: string;
    concurrency: number;
    defaultIntervalSec: number;
    /** Fraction of the interval (0–1) added or removed at random so feeds don't all fire together. */
    jitter: number;
    minIntervalSec: number;
    maxIntervalSec: number;
    /** Consecutive failures after which a feed is marked failing. */
    failureThreshold: number;
  };
  fetch: {
    timeoutSec: number;
    maxBodyBytes: number;
    maxRedirects: number;
    maxPerHost: number;
    allowPrivateNetworks: boolean;
    /** Host names (optionally `*.example.org`), IP addresses or CIDR blocks allowed even when private. */
    allowedHosts: string[];
    /** Whether feeds declared in the config file may reach private addresses. */
    trustConfigFeeds: boolean;
  };
  discord: {
    /** A secret: never log it. null when no token is configured (the bot then does not start). */
    token: string | null;
    /** REST base URL (e.g. a rate-limit proxy); null means Discord's own. */
    apiBase: string | null;
    /** True when a token is set. */
    enabled: boolean;
    limits: { feedsPerServer: number; watchesPerServer: number };
    digestThreshold: number;
  };
  /** Story grouping: the same wire story from many feeds alerts once; later outlets update the alert. */
  /** Absent (hand-built configs): defaults, grouping on. */
  stories?: {
    enabled: boolean;
    /** Stories idle for longer than this are closed. */
    windowSec: number;
    /** Estimated Jaccard similarity (title + lead content words) to join a story. */
    threshold: number;
    /** A later item with a materially new headline is posted as a follow-up under the alert. */
    followUps: boolean;
  };
  health: {
    /** 0 means the health server is off. */
    port: number;
    host: string;
  };
  /** Never empty: with nothing declared it is one `console` destination named `console`. */
  destinations: ConfigDestination[];
  feeds: ConfigFeed[];
  watches: ConfigWatch[];
}

/** Set only when the file gives them. */
export interface ConfigDeliveryPolicy {
  /** Minutes after midnight UTC; alerts in [start, end) are held and sent as one digest when it ends. */
  quietHours?: { start: number; end: number };
  /** More than `max` messages in `windowSec`: the surplus becomes one digest. */
  rateCap?: { max: number; windowSec: number };
}

export type ConfigDestination =
  | ({ name: string; type: 'console' } & ConfigDeliveryPolicy)
  | ({
      name: string;
      type: 'discord-webhook';
      /** A secret: never log it. */
      url: string;
      /** 'env' when the URL came from DISCORD_WEBHOOK_URL or a `${VAR}` reference, 'file' when written literally. */
      urlSource: 'env' | 'file';
    } & ConfigDeliveryPolicy);

export interface ConfigFeed {
  name: string;
  url: string;
  /** The feed's own interval, or poll.defaultIntervalSec when the file gives none. */
  intervalSec: number;
  /** True when the file set `interval` for this feed (the adaptive interval should then leave it alone). */
  intervalExplicit: boolean;
}

export interface ConfigWatch {
  name: string;
  query: string;
  /** Names of config feeds this watch applies to; every config feed when the file lists none. */
  feeds: string[];
  /** Names of destinations it delivers to; every destination when the file lists none. */
  destinations: string[];
}

export interface LoadedConfig {
  config: WirewatchConfig;
  /** Absolute path of the file read; for embedded defaults, the path of the bundled default file. */
  path: string;
  /** True when no file was given and the default one was missing, so the bundled defaults were used. */
  embedded: boolean;
  /** Names of the environment variables that changed something (never their values). */
  envOverrides: string[];
}
