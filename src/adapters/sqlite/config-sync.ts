import type Database from 'better-sqlite3';
import type { ConfigSync } from '../../app/ports.js';
import type { DestinationQueries } from './destination-queries.js';
import type { FeedQueries } from './feed-queries.js';
import type { WatchQueries } from './watch-queries.js';
import { ms, type DestinationDbRow, type SubscriptionDbRow } from './row-mappers.js';
import { prepared } from './statement-cache.js';

export type ConfigInput = Parameters<ConfigSync['syncConfig']>[0];

/** The reason given to config destinations that disappeared from the file; only these are revived by a later sync. */
export const REMOVED_FROM_CONFIG = 'removed from the config file';

const CONFIG = 'config';

/**
 * Applies the config file's declarations in one transaction. Rows are matched by name within scope 'config', and
 * rows the file no longer declares are disabled, never deleted, so their history (seen items, outbox) stays.
 */
export class ConfigSyncer {
  constructor(
    private readonly db: Database.Database,
    private readonly feeds: FeedQueries,
    private readonly destinations: DestinationQueries,
    private readonly watches: WatchQueries,
  ) {}

  sync(input: ConfigInput): void {
    this.db.transaction(() => {
      const feedIds = this.syncFeeds(input);
      const destIds = this.syncDestinations(input);
      this.syncWatches(input, feedIds, destIds);
    })();
  }

  private syncFeeds(input: ConfigInput): Map<string, number> {
    const now = ms(input.now);
    const subs = prepared<[], SubscriptionDbRow>(
      this.db,
      `SELECT * FROM feed_subscriptions WHERE scope = '${CONFIG}'`,
    ).all();
    const subscribed = new Set(
      prepared<[], { feed_id: number }>(this.db, 'SELECT DISTINCT feed_id FROM feed_subscriptions')
        .all()
        .map((r) => r.feed_id),
    );
    const wanted = new Set(input.feeds.map((f) => f.name));
    // Removed first, so a renamed feed (same URL, new name) can take the subscription over.
    const drop = prepared(this.db, `DELETE FROM feed_subscriptions WHERE scope = '${CONFIG}' AND name = ?`);
    for (const s of subs) if (!wanted.has(s.name)) drop.run(s.name);

    const byName = new Map(subs.map((s) => [s.name, s]));
    const ids = new Map<string, number>();
    for (const f of input.feeds) {
      const sub = byName.get(f.name);
      let feedId: number;
      if (sub && sub.declared_url === f.url) {
        // Same declaration as last time: keep the feed even if it has since moved to another URL.
        feedId = sub.feed_id;
      } else {
        feedId = this.feeds.ensureFeed(f.url, f.intervalSec, input.now).id;
        const clash = prepared<[number], { name: string }>(
          this.db,
          `SELECT name FROM feed_subscriptions WHERE scope = '${CONFIG}' AND feed_id = ?`,
        ).get(feedId);
        if (clash && clash.name !== f.name) {
          throw new Error(`syncConfig: feeds "${clash.name}" and "${f.name}" are the same feed (${f.url})`);
        }
        this.feeds.reprimeIfUnwatched(feedId, subscribed.has(feedId));
        if (sub) {
          prepared(
            this.db,
            `UPDATE feed_subscriptions SET feed_id = ?, declared_url = ? WHERE scope = '${CONFIG}' AND name = ?`,
          ).run(feedId, f.url, f.name);
        } else {
          prepared(
            this.db,
            `INSERT INTO feed_subscriptions (feed_id, scope, name, channel_id, declared_url, created_at)
               VALUES (?, '${CONFIG}', ?, NULL, ?, ?)`,
          ).run(feedId, f.name, f.url, now);
        }
      }
      // An interval the file sets is the operator's: it is stored with the subscription (so the adaptive interval
      // leaves the feed alone) and applied now. Without one, the adaptive interval chosen so far is kept.
      const explicit = f.intervalExplicit ?? true;
      prepared(
        this.db,
        `UPDATE feed_subscriptions SET interval_sec = ? WHERE scope = '${CONFIG}' AND name = ?`,
      ).run(explicit ? f.intervalSec : null, f.name);
      prepared(
        this.db,
        'UPDATE feeds SET interval_sec = CASE WHEN ? THEN ? ELSE interval_sec END, enabled = 1 WHERE id = ?',
      ).run(explicit ? 1 : 0, f.intervalSec, feedId);
      ids.set(f.name, feedId);
    }
    return ids;
  }

  private syncDestinations(input: ConfigInput): Map<string, number> {
    const ids = new Map<string, number>();
    for (const d of input.destinations) {
      const sameTarget = this.destinations.findByTarget(CONFIG, d.kind, d.target);
      const sameName = prepared<[string], DestinationDbRow>(
        this.db,
        `SELECT * FROM destinations WHERE scope = '${CONFIG}' AND name = ? ORDER BY enabled DESC, id DESC LIMIT 1`,
      ).get(d.name);
      let id: number;
      if (sameTarget) {
        id = sameTarget.id;
        prepared(this.db, 'UPDATE destinations SET name = ? WHERE id = ?').run(d.name, id);
        // A destination disabled for a real reason (a deleted webhook) stays disabled until its target changes.
        if (!sameTarget.enabled && sameTarget.disabledReason === REMOVED_FROM_CONFIG)
          this.destinations.enableDestination(id);
      } else if (sameName) {
        id = sameName.id;
        prepared(
          this.db,
          'UPDATE destinations SET kind = ?, target = ?, enabled = 1, disabled_reason = NULL WHERE id = ?',
        ).run(d.kind, d.target, id);
      } else {
        id = this.destinations.ensureDestination({
          scope: CONFIG,
          name: d.name,
          kind: d.kind,
          target: d.target,
        }).id;
      }
      ids.set(d.name, id);
    }
    const kept = new Set(ids.values());
    const all = prepared<[], { id: number; enabled: number }>(
      this.db,
      `SELECT id, enabled FROM destinations WHERE scope = '${CONFIG}'`,
    ).all();
    for (const r of all) {
      if (kept.has(r.id) || r.enabled === 0) continue;
      this.destinations.disableDestination(r.id, REMOVED_FROM_CONFIG);
    }
    return ids;
  }

  private syncWatches(input: ConfigInput, feedIds: Map<string, number>, destIds: Map<string, number>): void {
    const now = ms(input.now);
    const resolve = (watch: string, what: string, names: string[], map: Map<string, number>): number[] =>
      names.map((n) => {
        const id = map.get(n);
        // Config validation checks references before we get here, so an unknown name is a bug.
        if (id === undefined)
          throw new Error(`syncConfig: watch "${watch}" refers to unknown ${what} "${n}"`);
        return id;
      });
    const wanted = new Set<string>();
    for (const w of input.watches) {
      wanted.add(w.name);
      const feeds = w.feeds === null ? null : resolve(w.name, 'feed', w.feeds, feedIds);
      const dests =
        w.destinations === null
          ? [...destIds.values()]
          : resolve(w.name, 'destination', w.destinations, destIds);
      const existing = this.watches.findByName(CONFIG, w.name);
      let id: number;
      if (existing) {
        id = existing.id;
        prepared(this.db, 'UPDATE watches SET query = ?, feed_ids = ?, enabled = 1 WHERE id = ?').run(
          w.query,
          feeds === null ? null : JSON.stringify(feeds),
          id,
        );
      } else {
        id = Number(
          prepared(
            this.db,
            `INSERT INTO watches (scope, name, query, feed_ids, created_at) VALUES ('${CONFIG}', ?, ?, ?, ?)`,
          ).run(w.name, w.query, feeds === null ? null : JSON.stringify(feeds), now).lastInsertRowid,
        );
      }
      this.watches.setDestinations(id, [...new Set(dests)]);
    }
    const rows = prepared<[], { id: number; name: string }>(
      this.db,
      `SELECT id, name FROM watches WHERE scope = '${CONFIG}'`,
    ).all();
    const disable = prepared(this.db, 'UPDATE watches SET enabled = 0 WHERE id = ?');
    for (const r of rows) if (!wanted.has(r.name)) disable.run(r.id);
  }
}
