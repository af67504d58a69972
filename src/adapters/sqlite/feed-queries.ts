import type Database from 'better-sqlite3';
import type { FeedErrorCode } from '../../core/feed-types.js';
import type { FeedRow, FeedSubscriptionRow, NotModifiedPoll, Scope } from '../../app/ports.js';
import { NameTakenError } from './store-errors.js';
import { ms, toFeed, toSubscription, type FeedDbRow, type SubscriptionDbRow } from './row-mappers.js';
import { prepared } from './statement-cache.js';

/** Feeds, their fetch state, and which scopes subscribe to them. */
export class FeedQueries {
  private readonly byId;
  private readonly byUrl;
  private readonly due;
  private readonly insertFeed;
  private readonly subCount;
  private readonly subOf;
  private readonly subByName;
  private readonly insertSub;
  private readonly updateSub;

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => Date,
  ) {
    this.byId = db.prepare<[number], FeedDbRow>('SELECT * FROM feeds WHERE id = ?');
    this.byUrl = db.prepare<[string], FeedDbRow>('SELECT * FROM feeds WHERE url = ?');
    this.due = db.prepare<[number, number], FeedDbRow>(
      `SELECT f.* FROM feeds f
       WHERE f.enabled = 1 AND f.next_poll_at <= ?
         AND EXISTS (SELECT 1 FROM feed_subscriptions s WHERE s.feed_id = f.id)
       ORDER BY f.next_poll_at, f.id LIMIT ?`,
    );
    this.insertFeed = db.prepare<[string, number, number, number]>(
      'INSERT INTO feeds (url, interval_sec, next_poll_at, created_at) VALUES (?, ?, ?, ?)',
    );
    this.subCount = db.prepare<[number], { n: number }>(
      'SELECT count(*) AS n FROM feed_subscriptions WHERE feed_id = ?',
    );
    this.subOf = db.prepare<[string, number], SubscriptionDbRow>(
      'SELECT * FROM feed_subscriptions WHERE scope = ? AND feed_id = ?',
    );
    this.subByName = db.prepare<[string, string], SubscriptionDbRow>(
      'SELECT * FROM feed_subscriptions WHERE scope = ? AND name = ?',
    );
    this.insertSub = db.prepare<[number, string, string, string | null, string, number]>(
      `INSERT INTO feed_subscriptions (feed_id, scope, name, channel_id, declared_url, created_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.updateSub = db.prepare<[string, string | null, string, number]>(
      'UPDATE feed_subscriptions SET name = ?, channel_id = ? WHERE scope = ? AND feed_id = ?',
    );
  }

  listDueFeeds(now: Date, limit: number): FeedRow[] {
    return this.due.all(ms(now), limit).map(toFeed);
  }

  getFeed(id: number): FeedRow | undefined {
    const r = this.byId.get(id);
    return r ? toFeed(r) : undefined;
  }

  getFeedByUrl(url: string): FeedRow | undefined {
    const r = this.byUrl.get(url);
    return r ? toFeed(r) : undefined;
  }

  explicitInterval(feedId: number): number | null {
    return (
      prepared<[number], { sec: number | null }>(
        this.db,
        'SELECT min(interval_sec) AS sec FROM feed_subscriptions WHERE feed_id = ? AND interval_sec > 0',
      ).get(feedId)?.sec ?? null
    );
  }

  listFeeds(): FeedRow[] {
    return prepared<[], FeedDbRow>(this.db, 'SELECT * FROM feeds ORDER BY id').all().map(toFeed);
  }

  /** Finds or creates the feed row for a URL, without subscribing anyone. */
  ensureFeed(url: string, intervalSec: number, nextPollAt: Date): FeedRow {
    const existing = this.byUrl.get(url);
    if (existing) return toFeed(existing);
    const id = Number(this.insertFeed.run(url, intervalSec, ms(nextPollAt), ms(this.now())).lastInsertRowid);
    return this.getFeed(id) as FeedRow;
  }

  hasSubscribers(feedId: number): boolean {
    return (this.subCount.get(feedId)?.n ?? 0) > 0;
  }

  /**
   * A feed nobody subscribed to has not been polled: its seen items are stale or pruned. Clearing primed_at makes
   * the next poll record its current items silently instead of alerting a backlog.
   */
  reprimeIfUnwatched(feedId: number, hadSubscribers: boolean): void {
    if (!hadSubscribers) prepared(this.db, 'UPDATE feeds SET primed_at = NULL WHERE id = ?').run(feedId);
  }

  subscribeFeed(input: {
    url: string;
    scope: Scope;
    name: string;
    channelId?: string | null;
    intervalSec: number;
    nextPollAt: Date;
  }): FeedRow {
    return this.db.transaction(() => {
      const feed = this.ensureFeed(input.url, input.intervalSec, input.nextPollAt);
      const channelId = input.channelId ?? null;
      const named = this.subByName.get(input.scope, input.name);
      if (named && named.feed_id !== feed.id) throw new NameTakenError('feed', input.scope, input.name);
      // Subscribing again to a feed the scope already has is idempotent: it updates the name and notice channel.
      if (this.subOf.get(input.scope, feed.id)) {
        this.updateSub.run(input.name, channelId, input.scope, feed.id);
      } else {
        this.reprimeIfUnwatched(feed.id, this.hasSubscribers(feed.id));
        this.insertSub.run(feed.id, input.scope, input.name, channelId, input.url, ms(this.now()));
      }
      return this.getFeed(feed.id) as FeedRow;
    })();
  }

  /** Removes the scope's subscription; the feed row and its seen items stay (another scope may use them). */
  unsubscribeFeed(feedId: number, scope: Scope): boolean {
    return (
      prepared(this.db, 'DELETE FROM feed_subscriptions WHERE feed_id = ? AND scope = ?').run(feedId, scope)
        .changes > 0
    );
  }

  listSubscriptions(scope?: Scope): FeedSubscriptionRow[] {
    const rows =
      scope === undefined
        ? prepared<[], SubscriptionDbRow>(
            this.db,
            'SELECT * FROM feed_subscriptions ORDER BY scope, name',
          ).all()
        : prepared<[string], SubscriptionDbRow>(
            this.db,
            'SELECT * FROM feed_subscriptions WHERE scope = ? ORDER BY name',
          ).all(scope);
    return rows.map(toSubscription);
  }

  subscriptionsOf(feedId: number): FeedSubscriptionRow[] {
    return prepared<[number], SubscriptionDbRow>(
      this.db,
      'SELECT * FROM feed_subscriptions WHERE feed_id = ? ORDER BY scope',
    )
      .all(feedId)
      .map(toSubscription);
  }

  recordNotModified(polls: readonly NotModifiedPoll[]): void {
    // A 304 is a successful poll: the feed is reachable and unchanged.
    const update = prepared(
      this.db,
      `UPDATE feeds SET last_success_at = ?, next_poll_at = ?, consecutive_failures = 0 WHERE id = ?`,
    );
    this.db.transaction(() => {
      for (const p of polls) update.run(ms(p.at), ms(p.nextPollAt), p.feedId);
    })();
  }

  recordFailure(
    feedId: number,
    input: { at: Date; code: FeedErrorCode; message: string; nextPollAt: Date },
  ): FeedRow {
    const r = prepared<[number, string, string, number, number], FeedDbRow>(
      this.db,
      `UPDATE feeds SET last_error_at = ?, last_error_code = ?, last_error_message = ?,
           consecutive_failures = consecutive_failures + 1, next_poll_at = ?
         WHERE id = ? RETURNING *`,
    ).get(ms(input.at), input.code, input.message, ms(input.nextPollAt), feedId);
    if (!r) throw new Error(`recordFailure: no feed with id ${feedId}`);
    return toFeed(r);
  }

  recordMove(feedId: number, url: string | null): number {
    const r = prepared<{ id: number; url: string | null }, { moved_count: number }>(
      this.db,
      `UPDATE feeds SET
           moved_count = CASE WHEN @url IS NULL THEN 0 WHEN moved_to_url = @url THEN moved_count + 1 ELSE 1 END,
           moved_to_url = @url
         WHERE id = @id RETURNING moved_count`,
    ).get({ id: feedId, url });
    if (!r) throw new Error(`recordMove: no feed with id ${feedId}`);
    return r.moved_count;
  }

  updateFeedUrl(feedId: number, url: string): void {
    this.db.transaction(() => {
      const other = this.byUrl.get(url);
      // URLs are unique: when another feed row already has the new URL, both rows stay as they are (merging would
      // mix two histories of seen items); only the move state is cleared.
      if (other && other.id !== feedId) {
        prepared(this.db, 'UPDATE feeds SET moved_to_url = NULL, moved_count = 0 WHERE id = ?').run(feedId);
        return;
      }
      prepared(this.db, 'UPDATE feeds SET url = ?, moved_to_url = NULL, moved_count = 0 WHERE id = ?').run(
        url,
        feedId,
      );
    })();
  }

  setInterval(feedId: number, intervalSec: number): void {
    prepared(this.db, 'UPDATE feeds SET interval_sec = ? WHERE id = ?').run(intervalSec, feedId);
  }
}
