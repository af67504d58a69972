import type Database from 'better-sqlite3';
import type { FeedErrorCode } from '../../core/feed-types.js';
import type {
  DestinationRow,
  FeedRow,
  FeedSubscriptionRow,
  GuildNotice,
  GuildSettings,
  NotModifiedPoll,
  OutboxRow,
  PollSuccess,
  Scope,
  Store,
  StoredItem,
  WatchRow,
} from '../../app/ports.js';
import type {
  AlertUpdateRow,
  DestinationPolicy,
  StoredStoryMember,
  StoryRow,
} from '../../app/story-ports.js';
import { ConfigSyncer, type ConfigInput } from './config-sync.js';
import { DestinationQueries } from './destination-queries.js';
import { FeedQueries } from './feed-queries.js';
import { GuildQueries } from './guild-queries.js';
import { ItemQueries } from './item-queries.js';
import { OutboxQueries } from './outbox-queries.js';
import { StoryQueries } from './story-queries.js';
import { WatchQueries, type NewWatch } from './watch-queries.js';

export { openStore, openStoreReadOnly, type OpenStoreOptions } from './open-store.js';

/** The Store over one SQLite database; every public method is synchronous (better-sqlite3). */
export class SqliteStore implements Store {
  private readonly feedQ: FeedQueries;
  private readonly itemQ: ItemQueries;
  private readonly watchQ: WatchQueries;
  private readonly destQ: DestinationQueries;
  private readonly outboxQ: OutboxQueries;
  private readonly configQ: ConfigSyncer;
  private readonly guildQ: GuildQueries;
  private readonly storyQ: StoryQueries;

  constructor(
    /** The underlying handle, for tests and diagnostics; use the methods for everything else. */
    readonly db: Database.Database,
    now: () => Date = () => new Date(),
  ) {
    this.outboxQ = new OutboxQueries(db);
    this.feedQ = new FeedQueries(db, now);
    this.storyQ = new StoryQueries(db);
    this.itemQ = new ItemQueries(db, this.outboxQ, this.storyQ);
    this.watchQ = new WatchQueries(db, now);
    this.destQ = new DestinationQueries(db, this.outboxQ, now);
    this.configQ = new ConfigSyncer(db, this.feedQ, this.destQ, this.watchQ);
    this.guildQ = new GuildQueries(db);
  }

  listDueFeeds(now: Date, limit: number): FeedRow[] {
    return this.feedQ.listDueFeeds(now, limit);
  }
  getFeed(id: number): FeedRow | undefined {
    return this.feedQ.getFeed(id);
  }
  getFeedByUrl(url: string): FeedRow | undefined {
    return this.feedQ.getFeedByUrl(url);
  }
  subscribeFeed(input: Parameters<FeedQueries['subscribeFeed']>[0]): FeedRow {
    return this.feedQ.subscribeFeed(input);
  }
  unsubscribeFeed(feedId: number, scope: Scope): boolean {
    return this.feedQ.unsubscribeFeed(feedId, scope);
  }
  listSubscriptions(scope?: Scope): FeedSubscriptionRow[] {
    return this.feedQ.listSubscriptions(scope);
  }
  subscriptionsOf(feedId: number): FeedSubscriptionRow[] {
    return this.feedQ.subscriptionsOf(feedId);
  }
  unseenKeys(feedId: number, keys: string[]): Set<string> {
    return this.itemQ.unseenKeys(feedId, keys);
  }

  itemSources(feedId: number): Map<string, string> {
    return this.itemQ.itemSources(feedId);
  }
  recordPollSuccess(feedId: number, success: PollSuccess): { newItems: number; alertsWritten: number } {
    return this.itemQ.recordPollSuccess(feedId, success);
  }
  recordNotModified(polls: readonly NotModifiedPoll[]): void {
    this.feedQ.recordNotModified(polls);
  }
  recordFailure(
    feedId: number,
    input: { at: Date; code: FeedErrorCode; message: string; nextPollAt: Date },
  ): FeedRow {
    return this.feedQ.recordFailure(feedId, input);
  }
  recordMove(feedId: number, url: string | null): number {
    return this.feedQ.recordMove(feedId, url);
  }
  updateFeedUrl(feedId: number, url: string): void {
    this.feedQ.updateFeedUrl(feedId, url);
  }
  setInterval(feedId: number, intervalSec: number): void {
    this.feedQ.setInterval(feedId, intervalSec);
  }
  recentItems(since: Date, feedIds?: number[]): StoredItem[] {
    return this.itemQ.recentItems(since, feedIds);
  }
  itemsSince(feedId: number, since: Date): number {
    return this.itemQ.itemsSince(feedId, since);
  }
  listFeeds(): FeedRow[] {
    return this.feedQ.listFeeds();
  }
  explicitInterval(feedId: number): number | null {
    return this.feedQ.explicitInterval(feedId);
  }

  listWatches(scope?: Scope): WatchRow[] {
    return this.watchQ.listWatches(scope);
  }
  getWatch(id: number): WatchRow | undefined {
    return this.watchQ.getWatch(id);
  }
  addWatch(input: NewWatch): WatchRow {
    return this.watchQ.addWatch(input);
  }
  updateWatch(id: number, patch: Partial<Pick<WatchRow, 'paused' | 'mutedUntil' | 'query' | 'name'>>): void {
    this.watchQ.updateWatch(id, patch);
  }
  removeWatch(id: number): boolean {
    return this.watchQ.removeWatch(id);
  }

  listDestinations(scope?: Scope): DestinationRow[] {
    return this.destQ.listDestinations(scope);
  }
  getDestination(id: number): DestinationRow | undefined {
    return this.destQ.getDestination(id);
  }
  ensureDestination(input: Omit<DestinationRow, 'id' | 'enabled' | 'disabledReason'>): DestinationRow {
    return this.destQ.ensureDestination(input);
  }
  disableDestination(id: number, reason: string): void {
    this.destQ.disableDestination(id, reason);
  }
  enableDestination(id: number): void {
    this.destQ.enableDestination(id);
  }

  listPendingAlerts(now: Date, limit: number): OutboxRow[] {
    return this.outboxQ.listPendingAlerts(now, limit);
  }
  markDelivered(id: number, at: Date, remoteId: string | null): void {
    this.outboxQ.markDelivered(id, at, remoteId);
  }
  markRetry(id: number, input: { error: string; nextAttemptAt: Date }): void {
    this.outboxQ.markRetry(id, input);
  }
  markFailed(id: number, error: string): void {
    this.outboxQ.markFailed(id, error);
  }
  pruneOutbox(before: Date): number {
    return this.outboxQ.pruneOutbox(before);
  }

  outboxDepth(): number {
    return this.outboxQ.outboxDepth();
  }

  syncConfig(input: ConfigInput): void {
    this.configQ.sync(input);
  }

  getGuildSettings(guildId: string): GuildSettings {
    return this.guildQ.getGuildSettings(guildId);
  }
  updateGuildSettings(
    guildId: string,
    patch: Partial<Omit<GuildSettings, 'guildId'>>,
    at: Date,
  ): GuildSettings {
    return this.guildQ.updateGuildSettings(guildId, patch, at);
  }
  recordNotice(guildId: string, key: string, message: string, at: Date): boolean {
    return this.guildQ.recordNotice(guildId, key, message, at);
  }
  listNotices(guildId: string): GuildNotice[] {
    return this.guildQ.listNotices(guildId);
  }
  clearNotice(guildId: string, key: string): void {
    this.guildQ.clearNotice(guildId, key);
  }
  removeScope(scope: Scope, reason: string): { feeds: number; watchIds: number[] } {
    return this.guildQ.removeScope(scope, reason);
  }
  detachDestination(id: number, reason: string): void {
    this.guildQ.detachDestination(id, reason);
  }
  setWatchFeeds(watchId: number, feedIds: number[] | null): void {
    this.guildQ.setWatchFeeds(watchId, feedIds);
  }
  countDelivered(scope: Scope, since: Date): number {
    return this.guildQ.countDelivered(scope, since);
  }
  outboxDepthFor(scope: Scope): number {
    return this.guildQ.outboxDepthFor(scope);
  }

  loadStoryMembers(since: Date): StoredStoryMember[] {
    return this.storyQ.loadStoryMembers(since);
  }
  getStory(id: string): StoryRow | undefined {
    return this.storyQ.getStory(id);
  }
  storyAlert(storyId: string, watchId: number, destinationId: number): { outboxId: number } | null {
    return this.storyQ.storyAlert(storyId, watchId, destinationId);
  }
  storyMembers(storyId: string): ReturnType<StoryQueries['storyMembers']> {
    return this.storyQ.storyMembers(storyId);
  }
  pruneStories(before: Date): number {
    return this.storyQ.pruneStories(before);
  }
  alertThread(outboxId: number): string | null {
    return this.storyQ.alertThread(outboxId);
  }
  setAlertThread(outboxId: number, threadId: string | null): void {
    this.storyQ.setAlertThread(outboxId, threadId);
  }
  outboxRow(id: number): OutboxRow | undefined {
    return this.storyQ.outboxRow(id);
  }
  sharesMessage(outboxId: number): boolean {
    return this.storyQ.sharesMessage(outboxId);
  }
  listPendingUpdates(now: Date, limit: number): AlertUpdateRow[] {
    return this.storyQ.listPendingUpdates(now, limit);
  }
  updatesOf(outboxId: number): AlertUpdateRow[] {
    return this.storyQ.updatesOf(outboxId);
  }
  markUpdateDelivered(id: number, at: Date): void {
    this.storyQ.markUpdateDelivered(id, at);
  }
  markUpdateRetry(id: number, input: { error: string; nextAttemptAt: Date }): void {
    this.storyQ.markUpdateRetry(id, input);
  }
  markUpdateFailed(id: number, error: string): void {
    this.storyQ.markUpdateFailed(id, error);
  }
  getDestinationPolicy(destinationId: number): DestinationPolicy {
    return this.storyQ.getDestinationPolicy(destinationId);
  }
  updateDestinationPolicy(
    destinationId: number,
    patch: Partial<DestinationPolicy>,
    at: Date,
  ): DestinationPolicy {
    return this.storyQ.updateDestinationPolicy(destinationId, patch, at);
  }
  messagesDeliveredSince(destinationId: number, since: Date): number {
    return this.storyQ.messagesDeliveredSince(destinationId, since);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
