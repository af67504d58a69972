import type Database from 'better-sqlite3';
import type { PollSuccess, StoredItem } from '../../app/ports.js';
import type { OutboxQueries } from './outbox-queries.js';
import type { StoryQueries } from './story-queries.js';
import { ms, msOrNull, toItem, type ItemDbRow } from './row-mappers.js';
import { prepared } from './statement-cache.js';

/**
 * How long an item that no longer appears in its feed is remembered. Items still in the feed are bumped
 * (last_seen_at, at most once a day) by successful polls, so they are never pruned while the feed keeps showing
 * them: a feed that carries an old story for months never re-alerts it. Only items that left the feed more than
 * this long ago are forgotten, which keeps the table bounded.
 */
export const SEEN_ITEM_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * last_seen_at is only moved once it is this old: a 1 MB feed polled every minute would otherwise rewrite hundreds
 * of rows (and the WAL pages under them) on every poll, for a date that only matters to a 30-day retention.
 */
export const SEEN_BUMP_AFTER_MS = 24 * 60 * 60 * 1000;

/** Seen items per feed, and the poll transaction that records them with their alerts. */
export class ItemQueries {
  private readonly unseen;
  private readonly insertItem;
  private readonly bumpItem;
  private readonly bumpUnchanged;
  private readonly sources;
  private readonly prune;
  private readonly updateFeed;
  private readonly countSince;

  constructor(
    private readonly db: Database.Database,
    private readonly outbox: OutboxQueries,
    private readonly stories?: StoryQueries,
  ) {
    // One query for the whole batch: the keys travel as a JSON array and are probed against the primary key.
    this.unseen = db.prepare<[string, number], { key: string }>(
      `SELECT DISTINCT j.value AS key FROM json_each(?) j
       WHERE NOT EXISTS (SELECT 1 FROM seen_items s WHERE s.feed_id = ? AND s.item_key = j.value)`,
    );
    this.insertItem = db.prepare(
      `INSERT OR IGNORE INTO seen_items
         (feed_id, item_key, title, link, summary, published, updated, author, categories, first_seen_at, last_seen_at,
          source_hash)
       VALUES (@feedId, @key, @title, @link, @summary, @published, @updated, @author, @categories, @at, @at, @source)`,
    );
    // A known item parsed again had its XML changed (re-dated, re-worded): its new source replaces the old one.
    this.bumpItem = db.prepare(
      `UPDATE seen_items SET last_seen_at = @at, source_hash = COALESCE(@source, source_hash)
       WHERE feed_id = @feedId AND item_key = @key
         AND (last_seen_at < @stale OR (@source IS NOT NULL AND source_hash IS NOT @source))`,
    );
    this.bumpUnchanged = db.prepare<[number, number, string, number]>(
      `UPDATE seen_items SET last_seen_at = ?
       WHERE feed_id = ? AND item_key IN (SELECT value FROM json_each(?)) AND last_seen_at < ?`,
    );
    this.sources = db.prepare<[number], { source_hash: string; item_key: string }>(
      'SELECT source_hash, item_key FROM seen_items WHERE feed_id = ? AND source_hash IS NOT NULL',
    );
    this.prune = db.prepare<[number, number]>(
      'DELETE FROM seen_items WHERE feed_id = ? AND last_seen_at < ?',
    );
    this.updateFeed = db.prepare(
      `UPDATE feeds SET etag = @etag, last_modified = @lastModified, title = COALESCE(@title, title),
         last_success_at = @at, next_poll_at = @nextPollAt, interval_sec = COALESCE(@intervalSec, interval_sec),
         consecutive_failures = 0, primed_at = COALESCE(primed_at, @at)
       WHERE id = @feedId`,
    );
    this.countSince = db.prepare<[number, number], { n: number }>(
      'SELECT count(*) AS n FROM seen_items WHERE feed_id = ? AND COALESCE(published, first_seen_at) >= ?',
    );
  }

  unseenKeys(feedId: number, keys: string[]): Set<string> {
    if (keys.length === 0) return new Set();
    return new Set(this.unseen.all(JSON.stringify(keys), feedId).map((r) => r.key));
  }

  itemSources(feedId: number): Map<string, string> {
    return new Map(this.sources.all(feedId).map((r) => [r.source_hash, r.item_key]));
  }

  recordPollSuccess(feedId: number, s: PollSuccess): { newItems: number; alertsWritten: number } {
    return this.db.transaction(() => {
      const at = ms(s.at);
      const stale = at - SEEN_BUMP_AFTER_MS;
      const inserted = new Set<string>();
      for (const item of s.items) {
        const res = this.insertItem.run({
          feedId,
          key: item.key,
          title: item.title,
          link: item.link,
          summary: item.summary,
          published: msOrNull(item.published),
          updated: msOrNull(item.updated),
          author: item.author,
          categories: JSON.stringify(item.categories),
          at,
          source: item.source ?? null,
        });
        if (res.changes > 0) inserted.add(item.key);
        else this.bumpItem.run({ at, source: item.source ?? null, feedId, key: item.key, stale });
      }
      if (s.unchangedKeys?.length) this.bumpUnchanged.run(at, feedId, JSON.stringify(s.unchangedKeys), stale);
      // Only alerts whose item this transaction inserted: if the item was already seen (an overlapping poll got
      // there first, or the caller's unseen check is stale), it has been alerted or deliberately skipped before.
      let alertsWritten = 0;
      for (const alert of s.alerts) {
        if (inserted.has(alert.itemKey) && this.outbox.insertAlert(feedId, alert, s.at)) alertsWritten++;
      }
      // Story links and alert updates follow the same rule: only for items this transaction inserted.
      if (this.stories && s.stories) {
        this.stories.recordLinks(
          feedId,
          s.stories.filter((l) => inserted.has(l.itemKey)),
          s.at,
        );
      }
      if (this.stories && s.updates) {
        this.stories.recordUpdates(
          feedId,
          s.updates.filter((u) => inserted.has(u.itemKey)),
          s.at,
        );
      }
      const updated = this.updateFeed.run({
        feedId,
        etag: s.etag,
        lastModified: s.lastModified,
        title: s.title,
        at,
        nextPollAt: ms(s.nextPollAt),
        intervalSec: s.intervalSec ?? null,
      });
      if (updated.changes === 0) throw new Error(`recordPollSuccess: no feed with id ${feedId}`);
      this.prune.run(feedId, at - SEEN_ITEM_RETENTION_MS);
      return { newItems: inserted.size, alertsWritten };
    })();
  }

  itemsSince(feedId: number, since: Date): number {
    return this.countSince.get(feedId, ms(since))?.n ?? 0;
  }

  /** Items that are recent news: published (or, undated, first seen) at or after `since`, newest first. */
  recentItems(since: Date, feedIds?: number[]): StoredItem[] {
    const base = `SELECT * FROM seen_items WHERE COALESCE(published, first_seen_at) >= ?`;
    const order = ' ORDER BY COALESCE(published, first_seen_at) DESC, feed_id, item_key';
    if (feedIds === undefined) {
      return prepared<[number], ItemDbRow>(this.db, base + order)
        .all(ms(since))
        .map(toItem);
    }
    if (feedIds.length === 0) return [];
    return prepared<[number, string], ItemDbRow>(
      this.db,
      base + ' AND feed_id IN (SELECT value FROM json_each(?))' + order,
    )
      .all(ms(since), JSON.stringify(feedIds))
      .map(toItem);
  }
}
