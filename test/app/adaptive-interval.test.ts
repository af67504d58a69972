import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFeedParser } from '../../src/adapters/feed-parser/feed-parser.js';
import { openStore, type SqliteStore } from '../../src/adapters/sqlite/sqlite-store.js';
import { pollFeed, type PollFeedDeps } from '../../src/app/poll-feed.js';
import type { FeedFetcher, FetchResult, Log } from '../../src/app/ports.js';
import { WatchRegistry } from '../../src/app/watch-registry.js';
import type { PollTiming } from '../../src/core/poll-schedule.js';

const T0 = new Date('2026-05-04T12:00:00Z');
const HOUR_MS = 3600_000;
const quiet: Log = { debug() {}, info() {}, warn() {}, error() {} };
const TIMING: PollTiming = { defaultIntervalSec: 300, minIntervalSec: 60, maxIntervalSec: 3600, jitter: 0 };

/** `count` items named `${prefix}N`, published `ageHours` ago (spread a minute apart), with an optional ttl. */
function rss(prefix: string, count: number, ageHours: number, ttlMinutes?: number): string {
  const items = Array.from({ length: count }, (_, i) => {
    const published = new Date(T0.getTime() - ageHours * HOUR_MS - i * 60_000);
    return `<item><guid>${prefix}${i}</guid><title>Story ${prefix}${i}</title><pubDate>${published.toUTCString()}</pubDate></item>`;
  });
  const ttl = ttlMinutes === undefined ? '' : `<ttl>${ttlMinutes}</ttl>`;
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Busy</title>${ttl}${items.join('')}</channel></rss>`;
}

/** A fetcher that serves whatever the test set last, with optional Cache-Control freshness. */
function stubFetcher(): FeedFetcher & { body: string; freshForSec: number | null; notModified: boolean } {
  return {
    body: '',
    freshForSec: null,
    notModified: false,
    async fetch(url): Promise<FetchResult> {
      if (this.notModified) return { kind: 'not-modified', freshForSec: this.freshForSec };
      return {
        kind: 'ok',
        text: this.body,
        finalUrl: url,
        permanentUrl: null,
        etag: null,
        lastModified: null,
        freshForSec: this.freshForSec,
      };
    },
  };
}

describe('adaptive poll interval', () => {
  let store: SqliteStore;
  let fetcher: ReturnType<typeof stubFetcher>;
  let now: Date;
  let deps: PollFeedDeps;

  beforeEach(() => {
    store = openStore(':memory:');
    fetcher = stubFetcher();
    now = T0;
    deps = {
      store,
      fetcher,
      parser: createFeedParser(),
      watches: new WatchRegistry(),
      clock: { now: () => now },
      log: quiet,
      timing: TIMING,
      random: () => 0.5,
      failureThreshold: 3,
      moveAfter: 3,
    };
  });
  afterEach(() => store.close());

  /** Declares one config feed (explicit interval or not) and returns its id. */
  function declare(intervalSec: number, intervalExplicit: boolean): number {
    store.syncConfig({
      now,
      feeds: [{ name: 'busy', url: 'https://news.example/busy.xml', intervalSec, intervalExplicit }],
      destinations: [],
      watches: [],
    });
    return store.listFeeds()[0]?.id as number;
  }

  async function poll(feedId: number): Promise<{ intervalSec: number; nextPollAt: Date }> {
    const report = await pollFeed(deps, store.getFeed(feedId)!);
    expect(report.status).not.toBe('error');
    const feed = store.getFeed(feedId)!;
    return { intervalSec: feed.intervalSec, nextPollAt: feed.nextPollAt };
  }

  it('polls a busy feed more often: a week divided by the items of the last week, and schedules with it', async () => {
    const id = declare(300, false);
    fetcher.body = rss('a', 336, 1);
    const first = await poll(id);
    expect(first.intervalSec).toBe((7 * 24 * 3600) / 336);
    expect(first.nextPollAt.getTime()).toBe(now.getTime() + first.intervalSec * 1000);
  });

  it('counts the items stored by earlier polls as well as the new ones', async () => {
    const id = declare(300, false);
    fetcher.body = rss('a', 168, 48);
    expect((await poll(id)).intervalSec).toBe(3600);
    now = new Date(T0.getTime() + HOUR_MS);
    // The feed now shows only its 168 newest items; the 168 earlier ones are still counted from the store.
    fetcher.body = rss('b', 168, 0);
    expect((await poll(id)).intervalSec).toBe(1800);
    expect(store.itemsSince(id, new Date(now.getTime() - 7 * 24 * HOUR_MS))).toBe(336);
  });

  it('polls a quiet feed at the maximum: items older than a week do not count', async () => {
    const id = declare(300, false);
    fetcher.body = rss('old', 50, 8 * 24);
    expect((await poll(id)).intervalSec).toBe(TIMING.maxIntervalSec);
  });

  it('keeps the interval inside the configured bounds', async () => {
    const id = declare(300, false);
    deps.timing = { ...TIMING, minIntervalSec: 2 * 3600, maxIntervalSec: 6 * 3600 };
    fetcher.body = rss('a', 336, 1);
    expect((await poll(id)).intervalSec).toBe(2 * 3600);
    deps.timing = { ...TIMING, minIntervalSec: 60, maxIntervalSec: 600 };
    fetcher.body = rss('b', 10, 1);
    expect((await poll(id)).intervalSec).toBe(600);
  });

  it('leaves an interval the config file set alone, until the file stops setting it', async () => {
    const id = declare(900, true);
    fetcher.body = rss('a', 336, 1);
    expect((await poll(id)).intervalSec).toBe(900);
    expect(store.explicitInterval(id)).toBe(900);

    declare(300, false);
    expect(store.getFeed(id)?.intervalSec).toBe(900); // a sync without `interval:` keeps the last interval...
    expect(store.explicitInterval(id)).toBeNull();
    fetcher.body = rss('b', 24, 1);
    expect((await poll(id)).intervalSec).toBe((7 * 24 * 3600) / 360); // ...and the next poll adapts it
  });

  it('never polls more often than the publisher asked (ttl, Cache-Control), explicit interval or not', async () => {
    const id = declare(300, false);
    fetcher.body = rss('a', 336, 1, 120);
    expect((await poll(id)).intervalSec).toBe(7200);
    fetcher.body = rss('b', 336, 1);
    fetcher.freshForSec = 5400;
    expect((await poll(id)).intervalSec).toBe(5400);

    const pinned = declare(60, true);
    expect(pinned).toBe(id);
    fetcher.freshForSec = 600;
    expect((await poll(id)).intervalSec).toBe(600);
  });

  it('keeps the adapted interval on a 304', async () => {
    const id = declare(300, false);
    fetcher.body = rss('a', 336, 1);
    const adapted = (await poll(id)).intervalSec;
    fetcher.notModified = true;
    now = new Date(T0.getTime() + HOUR_MS);
    const after = await poll(id);
    expect(after.intervalSec).toBe(adapted);
    expect(after.nextPollAt.getTime()).toBe(now.getTime() + adapted * 1000);
  });
});
