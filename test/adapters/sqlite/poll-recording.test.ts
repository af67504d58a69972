import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openStore, type SqliteStore } from '../../../src/adapters/sqlite/sqlite-store.js';
import type { PollSuccess, StoredItem, NewAlert } from '../../../src/app/ports.js';
import { T0, alertFor, at, days, item, minutes, tempDir } from './store-fixtures.js';

let tmp: ReturnType<typeof tempDir>;
let path: string;
let store: SqliteStore;
beforeEach(() => {
  tmp = tempDir();
  path = join(tmp.dir, 'wirewatch.db');
  store = openStore(path, { now: () => T0 });
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

/** One feed, one watch, one destination. */
function setup(s: SqliteStore): { feedId: number; watchId: number; destId: number } {
  const feed = s.subscribeFeed({
    url: 'https://a.example/rss',
    scope: 'config',
    name: 'a',
    intervalSec: 300,
    nextPollAt: T0,
  });
  const dest = s.ensureDestination({ scope: 'config', name: 'console', kind: 'console', target: '' });
  const watch = s.addWatch({
    scope: 'config',
    name: 'nato',
    query: 'nato',
    feedIds: null,
    destinationIds: [dest.id],
    mentionRoleId: null,
    color: null,
  });
  return { feedId: feed.id, watchId: watch.id, destId: dest.id };
}

function success(when: Date, items: StoredItem[], alerts: NewAlert[] = []): PollSuccess {
  return {
    at: when,
    etag: '"v1"',
    lastModified: 'Sat, 01 Mar 2025 12:00:00 GMT',
    title: 'Example News',
    nextPollAt: new Date(when.getTime() + minutes(5)),
    items,
    alerts,
  };
}

const outboxCount = (s: SqliteStore): number =>
  s.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM outbox').get()?.n ?? -1;

describe('recordPollSuccess', () => {
  it('records items, primes the feed, resets failures and stores the fetch state', () => {
    const { feedId } = setup(store);
    store.recordFailure(feedId, { at: T0, code: 'timeout', message: 'timed out', nextPollAt: T0 });
    const res = store.recordPollSuccess(feedId, {
      ...success(at(minutes(1)), [item(feedId, 'a'), item(feedId, 'b')]),
      intervalSec: 600,
    });
    expect(res).toEqual({ newItems: 2, alertsWritten: 0 });
    const feed = store.getFeed(feedId);
    expect(feed).toMatchObject({
      etag: '"v1"',
      lastModified: 'Sat, 01 Mar 2025 12:00:00 GMT',
      title: 'Example News',
      consecutiveFailures: 0,
      intervalSec: 600,
      primedAt: at(minutes(1)),
      lastSuccessAt: at(minutes(1)),
      nextPollAt: at(minutes(6)),
    });
    // primed_at is set once: a later poll does not move it.
    store.recordPollSuccess(feedId, success(at(minutes(10)), []));
    expect(store.getFeed(feedId)?.primedAt).toEqual(at(minutes(1)));
    expect(store.getFeed(feedId)?.intervalSec).toBe(600);
  });

  it('writes alerts of new items and skips alerts of items already seen', () => {
    const { feedId, watchId, destId } = setup(store);
    store.recordPollSuccess(feedId, success(T0, [item(feedId, 'old')]));
    const res = store.recordPollSuccess(
      feedId,
      success(
        at(minutes(5)),
        [item(feedId, 'old'), item(feedId, 'new')],
        [alertFor(feedId, watchId, destId, 'old'), alertFor(feedId, watchId, destId, 'new')],
      ),
    );
    expect(res).toEqual({ newItems: 1, alertsWritten: 1 });
    const pending = store.listPendingAlerts(at(minutes(5)), 10);
    expect(pending.map((p) => p.itemKey)).toEqual(['new']);
    expect(pending[0]).toMatchObject({
      feedId,
      watchId,
      destinationId: destId,
      status: 'pending',
      attempts: 0,
    });
    expect(pending[0]?.alert.title).toBe('Title new');
    expect(pending[0]?.nonce.length).toBeLessThanOrEqual(25);
  });

  it('never queues the same alert twice (UNIQUE destination, watch, feed, item)', () => {
    const { feedId, watchId, destId } = setup(store);
    const twice = [alertFor(feedId, watchId, destId, 'x'), alertFor(feedId, watchId, destId, 'x')];
    const res = store.recordPollSuccess(feedId, success(T0, [item(feedId, 'x')], twice));
    expect(res).toEqual({ newItems: 1, alertsWritten: 1 });
    expect(() =>
      store.db
        .prepare(
          "INSERT INTO outbox (destination_id, watch_id, feed_id, item_key, alert, next_attempt_at, created_at, nonce) VALUES (?, ?, ?, 'x', '{}', 0, 0, 'other')",
        )
        .run(destId, watchId, feedId),
    ).toThrow(/UNIQUE/);
  });

  it('is atomic: a failure part-way leaves neither items nor alerts nor fetch state', () => {
    const { feedId, watchId } = setup(store);
    // Destination 999 does not exist: the alert is skipped, not an error; an alert to an unknown watch violates the
    // foreign key and must roll back the whole poll.
    const goodDest = store.listDestinations()[0]?.id ?? -1;
    const bad = alertFor(feedId, watchId + 100, goodDest, 'b');
    expect(() =>
      store.recordPollSuccess(
        feedId,
        success(T0, [item(feedId, 'a'), item(feedId, 'b')], [alertFor(feedId, watchId, goodDest, 'a'), bad]),
      ),
    ).toThrow(/FOREIGN KEY/);
    expect(store.unseenKeys(feedId, ['a', 'b'])).toEqual(new Set(['a', 'b']));
    expect(outboxCount(store)).toBe(0);
    expect(store.getFeed(feedId)?.primedAt).toBeNull();
    expect(store.getFeed(feedId)?.etag).toBeNull();
  });

  it('does not queue alerts to a disabled destination', () => {
    const { feedId, watchId, destId } = setup(store);
    store.disableDestination(destId, 'webhook deleted (404)');
    const res = store.recordPollSuccess(
      feedId,
      success(T0, [item(feedId, 'a')], [alertFor(feedId, watchId, destId, 'a')]),
    );
    expect(res).toEqual({ newItems: 1, alertsWritten: 0 });
  });

  it('throws for an unknown feed', () => {
    expect(() => store.recordPollSuccess(12345, success(T0, []))).toThrow(/no feed/);
  });
});

describe('unseenKeys', () => {
  it('answers for a batch of keys with one query, including duplicates and an empty list', () => {
    const { feedId } = setup(store);
    const known = Array.from({ length: 60 }, (_, i) => `k${i}`);
    store.recordPollSuccess(
      feedId,
      success(
        T0,
        known.map((k) => item(feedId, k)),
      ),
    );
    const asked = Array.from({ length: 100 }, (_, i) => `k${i}`);
    const unseen = store.unseenKeys(feedId, [...asked, 'k99', 'k5']);
    expect(unseen).toEqual(new Set(asked.slice(60)));
    expect(store.unseenKeys(feedId, [])).toEqual(new Set());
    // Keys are per feed.
    const other = store.subscribeFeed({
      url: 'https://b.example/rss',
      scope: 'config',
      name: 'b',
      intervalSec: 300,
      nextPollAt: T0,
    });
    expect(store.unseenKeys(other.id, ['k1'])).toEqual(new Set(['k1']));
  });
});

describe('across restarts', () => {
  it('remembers seen items: after reopening, known keys are not unseen and their alerts are not written', () => {
    const { feedId, watchId, destId } = setup(store);
    store.recordPollSuccess(feedId, success(T0, [item(feedId, 'a'), item(feedId, 'b')]));
    store.close();

    store = openStore(path, { now: () => T0 });
    expect(store.unseenKeys(feedId, ['a', 'b', 'c'])).toEqual(new Set(['c']));
    const res = store.recordPollSuccess(
      feedId,
      success(
        at(minutes(5)),
        [item(feedId, 'a'), item(feedId, 'c')],
        [alertFor(feedId, watchId, destId, 'a'), alertFor(feedId, watchId, destId, 'c')],
      ),
    );
    expect(res).toEqual({ newItems: 1, alertsWritten: 1 });
    expect(store.getFeed(feedId)?.primedAt).toEqual(T0);
  });

  it('keeps undelivered alerts after a crash: still pending, same nonce', () => {
    const { feedId, watchId, destId } = setup(store);
    store.recordPollSuccess(
      feedId,
      success(T0, [item(feedId, 'a')], [alertFor(feedId, watchId, destId, 'a')]),
    );
    const before = store.listPendingAlerts(T0, 10);
    expect(before).toHaveLength(1);
    // Simulated crash: the handle goes away without any delivery being recorded.
    store.db.close();

    store = openStore(path, { now: () => T0 });
    const after = store.listPendingAlerts(at(minutes(1)), 10);
    expect(after).toHaveLength(1);
    expect(after[0]?.nonce).toBe(before[0]?.nonce);
    expect(after[0]?.status).toBe('pending');
    expect(after[0]?.alert).toEqual(before[0]?.alert);
    expect(store.outboxDepth()).toBe(1);
  });
});

describe('30-day prune of seen items', () => {
  it('forgets items that left the feed over 30 days ago and keeps items the feed still carries', () => {
    const { feedId, watchId, destId } = setup(store);
    store.recordPollSuccess(feedId, success(T0, [item(feedId, 'evergreen'), item(feedId, 'gone')]));
    // The feed keeps carrying 'evergreen' every 10 days; 'gone' disappears.
    for (let d = 10; d <= 40; d += 10)
      store.recordPollSuccess(feedId, success(at(days(d)), [item(feedId, 'evergreen')]));
    expect(store.unseenKeys(feedId, ['evergreen', 'gone'])).toEqual(new Set(['gone']));
    // An item still in the feed never re-alerts, however old it is.
    const res = store.recordPollSuccess(
      feedId,
      success(at(days(41)), [item(feedId, 'evergreen')], [alertFor(feedId, watchId, destId, 'evergreen')]),
    );
    expect(res).toEqual({ newItems: 0, alertsWritten: 0 });
  });

  it('remembers item sources, replaces a changed one, and keeps unchanged items that were not parsed again', () => {
    const { feedId } = setup(store);
    store.recordPollSuccess(
      feedId,
      success(T0, [
        item(feedId, 'a', { source: 'src-a' }),
        item(feedId, 'b', { source: 'src-b' }),
        item(feedId, 'c'),
      ]),
    );
    expect(store.itemSources(feedId)).toEqual(
      new Map([
        ['src-a', 'a'],
        ['src-b', 'b'],
      ]),
    );
    // 'b' was re-dated (new XML, parsed again); 'a' is unchanged and only named; 'c' left the feed.
    for (let d = 10; d <= 40; d += 10) {
      store.recordPollSuccess(feedId, {
        ...success(at(days(d)), [item(feedId, 'b', { source: 'src-b2' })]),
        unchangedKeys: ['a'],
      });
    }
    expect(store.itemSources(feedId)).toEqual(
      new Map([
        ['src-a', 'a'],
        ['src-b2', 'b'],
      ]),
    );
    expect(store.unseenKeys(feedId, ['a', 'b', 'c'])).toEqual(new Set(['c']));
  });

  it('moves last_seen_at of items still in the feed at most once a day', () => {
    const { feedId } = setup(store);
    const lastSeen = (key: string): number | undefined =>
      store.db
        .prepare<[number, string], { t: number }>(
          'SELECT last_seen_at AS t FROM seen_items WHERE feed_id = ? AND item_key = ?',
        )
        .get(feedId, key)?.t;
    store.recordPollSuccess(feedId, success(T0, [item(feedId, 'a', { source: 's1' }), item(feedId, 'b')]));
    const poll = (when: Date): void =>
      void store.recordPollSuccess(feedId, {
        ...success(when, [item(feedId, 'a', { source: 's1' })]),
        unchangedKeys: ['b'],
      });
    poll(at(minutes(60)));
    expect([lastSeen('a'), lastSeen('b')]).toEqual([T0.getTime(), T0.getTime()]);
    poll(at(days(1) + minutes(1)));
    expect([lastSeen('a'), lastSeen('b')]).toEqual([
      at(days(1) + minutes(1)).getTime(),
      at(days(1) + minutes(1)).getTime(),
    ]);
    // A changed source is written at once.
    store.recordPollSuccess(feedId, success(at(days(1) + minutes(2)), [item(feedId, 'a', { source: 's2' })]));
    expect(store.itemSources(feedId).get('s2')).toBe('a');
  });

  it('keeps an item that left the feed less than 30 days ago', () => {
    const { feedId } = setup(store);
    store.recordPollSuccess(feedId, success(T0, [item(feedId, 'a')]));
    store.recordPollSuccess(feedId, success(at(days(29)), []));
    expect(store.unseenKeys(feedId, ['a'])).toEqual(new Set());
  });
});

describe('recentItems', () => {
  it('returns items published since the given time, newest first, optionally for some feeds', () => {
    const { feedId } = setup(store);
    const b = store.subscribeFeed({
      url: 'https://b.example/rss',
      scope: 'config',
      name: 'b',
      intervalSec: 300,
      nextPollAt: T0,
    });
    store.recordPollSuccess(
      feedId,
      success(T0, [
        item(feedId, 'old', { published: at(-days(3)) }),
        item(feedId, 'fresh', { published: at(-minutes(30)), categories: ['Asia', 'Defence'] }),
        item(feedId, 'undated', { published: null }),
      ]),
    );
    store.recordPollSuccess(b.id, success(T0, [item(b.id, 'b1', { published: at(-minutes(10)) })]));
    const recent = store.recentItems(at(-days(1)));
    expect(recent.map((i) => i.key)).toEqual(['undated', 'b1', 'fresh']);
    expect(recent[2]).toMatchObject({
      feedId,
      categories: ['Asia', 'Defence'],
      published: at(-minutes(30)),
      firstSeenAt: T0,
    });
    expect(store.recentItems(at(-days(1)), [feedId]).map((i) => i.key)).toEqual(['undated', 'fresh']);
    expect(store.recentItems(at(-days(1)), [])).toEqual([]);
  });
});
