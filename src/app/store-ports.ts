import type { FeedErrorCode } from '../core/feed-types.js';
import type { Alert } from '../core/alert.js';
import type { NewAlertUpdate, StoryLink, StoryStore } from './story-ports.js';

/**
 * What the use cases store and read back: rows and the Store interface (SQLite in production; tests may use the
 * real SQLite store on ':memory:').
 */

/** A poll answered 304 Not Modified. */
export interface NotModifiedPoll {
  feedId: number;
  at: Date;
  nextPollAt: Date;
}

/** Who declared a feed, watch or destination: the config file, or a Discord server (by guild id). */
export type Scope = 'config' | `guild:${string}`;

export interface FeedRow {
  id: number;
  url: string;
  title: string | null;
  /** Poll interval in seconds chosen for this feed (config/adaptive); jitter is applied when scheduling. */
  intervalSec: number;
  etag: string | null;
  lastModified: string | null;
  lastSuccessAt: Date | null;
  lastErrorAt: Date | null;
  lastErrorCode: FeedErrorCode | null;
  lastErrorMessage: string | null;
  consecutiveFailures: number;
  nextPollAt: Date;
  /** Set by the first successful poll: its items are recorded as seen without alerting (no flood). */
  primedAt: Date | null;
  enabled: boolean;
  createdAt: Date;
  /** Where permanent redirects have been pointing, and how many polls in a row; the URL is updated after N. */
  movedToUrl: string | null;
  movedCount: number;
}

/** A scope's subscription to a feed, with its own display name (feeds are shared by URL across scopes). */
export interface FeedSubscriptionRow {
  feedId: number;
  scope: Scope;
  name: string;
  /** Discord channel that gets notices about this feed (failing / recovered), when subscribed from Discord. */
  channelId: string | null;
}

export type DestinationKind = 'console' | 'discord-webhook' | 'discord-channel';

export interface DestinationRow {
  id: number;
  scope: Scope;
  name: string;
  kind: DestinationKind;
  /** Webhook URL or channel id; '' for console. A secret for webhooks: never log it. */
  target: string;
  enabled: boolean;
  disabledReason: string | null;
}

export interface WatchRow {
  id: number;
  scope: Scope;
  name: string;
  query: string;
  /** null: every feed the scope subscribes to. */
  feedIds: number[] | null;
  destinationIds: number[];
  paused: boolean;
  mutedUntil: Date | null;
  mentionRoleId: string | null;
  /** Embed colour, 0xRRGGBB. */
  color: number | null;
  createdAt: Date;
}

/** An item as stored in `seen_items`: kept so that new watches can be tried on recent news. */
export interface StoredItem {
  feedId: number;
  key: string;
  title: string;
  link: string | null;
  summary: string;
  published: Date | null;
  updated: Date | null;
  author: string | null;
  categories: string[];
  firstSeenAt: Date;
  /** Fingerprint of the item's XML when it was last parsed (`ParsedItem.source`); absent or null: unknown. */
  source?: string | null;
}

export type OutboxStatus = 'pending' | 'delivered' | 'failed';

export interface OutboxRow {
  id: number;
  destinationId: number;
  watchId: number;
  feedId: number;
  itemKey: string;
  alert: Alert;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: Date;
  createdAt: Date;
  deliveredAt: Date | null;
  lastError: string | null;
  /** Sent as Discord's message nonce so a retry after a crash cannot post twice. */
  nonce: string;
  /** Id the destination gave the delivered message (Discord message id), for later edits. */
  remoteId: string | null;
}

export interface NewAlert {
  destinationId: number;
  watchId: number;
  itemKey: string;
  alert: Alert;
  /** The story the item belongs to (story grouping); a later item of it updates this alert instead. */
  storyId?: string | null;
}

export interface PollSuccess {
  at: Date;
  etag: string | null;
  lastModified: string | null;
  title: string | null;
  nextPollAt: Date;
  intervalSec?: number;
  /** Every item of the feed that was parsed (keyed). New ones are inserted; known ones get last_seen_at bumped. */
  items: StoredItem[];
  /** Keys of known items still in the feed that were not parsed again (unchanged XML): last_seen_at bumped. */
  unchangedKeys?: string[];
  /** Alerts for items in `items` that are new. Written in the same transaction as the items; an alert whose item
   * turns out to be already seen (a concurrent poll) is not written. */
  alerts: NewAlert[];
  /** Story membership of new items (written only for items this transaction inserts). */
  stories?: StoryLink[];
  /** Updates of already-queued alerts by new items of their story (only for items this transaction inserts). */
  updates?: NewAlertUpdate[];
}

export interface FeedStore {
  listDueFeeds(now: Date, limit: number): FeedRow[];
  getFeed(id: number): FeedRow | undefined;
  getFeedByUrl(url: string): FeedRow | undefined;
  /** Creates the feed if its URL is new, and the scope's subscription; returns the feed. */
  subscribeFeed(input: {
    url: string;
    scope: Scope;
    name: string;
    channelId?: string | null;
    intervalSec: number;
    nextPollAt: Date;
  }): FeedRow;
  unsubscribeFeed(feedId: number, scope: Scope): boolean;
  listSubscriptions(scope?: Scope): FeedSubscriptionRow[];
  /** Subscriptions of a feed (which scopes/channels care about it). */
  subscriptionsOf(feedId: number): FeedSubscriptionRow[];
  /** Of the given keys, those not yet recorded for the feed. */
  unseenKeys(feedId: number, keys: string[]): Set<string>;
  /** Source fingerprint → item key, for the feed's recorded items whose source is known. */
  itemSources(feedId: number): Map<string, string>;
  recordPollSuccess(feedId: number, success: PollSuccess): { newItems: number; alertsWritten: number };
  /** 304 polls (each feed reachable and unchanged), recorded in one transaction. */
  recordNotModified(polls: readonly NotModifiedPoll[]): void;
  recordFailure(
    feedId: number,
    input: { at: Date; code: FeedErrorCode; message: string; nextPollAt: Date },
  ): FeedRow;
  /** Records that a poll saw a permanent redirect to `url` (null: no redirect, resets the count); returns the count. */
  recordMove(feedId: number, url: string | null): number;
  /** Moves the feed to its new URL (clears the move state). If another feed already has that URL, keeps both. */
  updateFeedUrl(feedId: number, url: string): void;
  /** Sets the poll interval chosen from the feed's publishing rate / ttl / cache headers. */
  setInterval(feedId: number, intervalSec: number): void;
  recentItems(since: Date, feedIds?: number[]): StoredItem[];
  /** The interval a subscription set itself (config `interval:`; the shortest if several), else null: the adaptive
   * interval decides. */
  explicitInterval(feedId: number): number | null;
  /** How many of the feed's stored items were published (or, undated, first seen) at or after `since`. */
  itemsSince(feedId: number, since: Date): number;
  /** Every feed row, subscribed or not, by id (for `wirewatch status`). */
  listFeeds(): FeedRow[];
}

export interface WatchStore {
  listWatches(scope?: Scope): WatchRow[];
  getWatch(id: number): WatchRow | undefined;
  addWatch(
    input: Omit<WatchRow, 'id' | 'createdAt' | 'paused' | 'mutedUntil'> & { paused?: boolean },
  ): WatchRow;
  updateWatch(id: number, patch: Partial<Pick<WatchRow, 'paused' | 'mutedUntil' | 'query' | 'name'>>): void;
  removeWatch(id: number): boolean;
}

export interface DestinationStore {
  listDestinations(scope?: Scope): DestinationRow[];
  getDestination(id: number): DestinationRow | undefined;
  /** Finds by (scope, kind, target) or creates; returns the row. */
  ensureDestination(input: Omit<DestinationRow, 'id' | 'enabled' | 'disabledReason'>): DestinationRow;
  disableDestination(id: number, reason: string): void;
  enableDestination(id: number): void;
}

export interface OutboxStore {
  /** Pending alerts whose next attempt is due, oldest first. */
  listPendingAlerts(now: Date, limit: number): OutboxRow[];
  markDelivered(id: number, at: Date, remoteId: string | null): void;
  markRetry(id: number, input: { error: string; nextAttemptAt: Date }): void;
  markFailed(id: number, error: string): void;
  outboxDepth(): number;
  /** Deletes delivered and failed alerts created before `before` (their updates with them); returns how many.
   * Pending alerts are kept, however old. */
  pruneOutbox(before: Date): number;
}

/** Declarations from the config file, applied at start-up: config rows are upserted by name, and config rows no
 * longer in the file are disabled (never deleted, so no history is lost). */
export interface ConfigSync {
  syncConfig(input: {
    /** `intervalExplicit` false: intervalSec is only the starting point, the adaptive interval may change it
     * (absent: explicit). */
    feeds: Array<{ name: string; url: string; intervalSec: number; intervalExplicit?: boolean }>;
    destinations: Array<{ name: string; kind: DestinationKind; target: string }>;
    watches: Array<{ name: string; query: string; feeds: string[] | null; destinations: string[] | null }>;
    now: Date;
  }): void;
}

/** A Discord server's settings; null fields fall back to the config defaults. */
export interface GuildSettings {
  guildId: string;
  /** A role whose members may manage wirewatch besides those with Manage Server. */
  managerRoleId: string | null;
  digestThreshold: number | null;
  /** Minutes after midnight UTC; alerts inside [start, end) are posted without pinging. */
  quietHours: { start: number; end: number } | null;
}

export interface GuildNotice {
  key: string;
  message: string;
  createdAt: Date;
}

/** What the Discord bot keeps per server besides feeds and watches. */
export interface GuildStore {
  getGuildSettings(guildId: string): GuildSettings;
  updateGuildSettings(
    guildId: string,
    patch: Partial<Omit<GuildSettings, 'guildId'>>,
    at: Date,
  ): GuildSettings;
  /** Records a notice; false when one with that key was already recorded (tell the server once). */
  recordNotice(guildId: string, key: string, message: string, at: Date): boolean;
  listNotices(guildId: string): GuildNotice[];
  clearNotice(guildId: string, key: string): void;
  /** The bot left the server: its subscriptions, watches, settings and notices go; its destinations are disabled. */
  removeScope(scope: Scope, reason: string): { feeds: number; watchIds: number[] };
  /** The destination is gone for good (Unknown Channel): disabled, and unlinked from every watch. */
  detachDestination(id: number, reason: string): void;
  /** Replaces the feeds a watch applies to (null: every feed of its scope). */
  setWatchFeeds(watchId: number, feedIds: number[] | null): void;
  /** Alerts delivered to the scope's destinations since `since`. */
  countDelivered(scope: Scope, since: Date): number;
  /** Alerts still waiting for the scope's enabled destinations. */
  outboxDepthFor(scope: Scope): number;
}

export interface Store
  extends FeedStore, WatchStore, DestinationStore, OutboxStore, ConfigSync, GuildStore, StoryStore {
  close(): void;
}
