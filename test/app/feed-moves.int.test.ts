import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFeedParser } from '../../src/adapters/feed-parser/feed-parser.js';
import { createFeedFetcher } from '../../src/adapters/http/feed-fetcher.js';
import { openStore, type SqliteStore } from '../../src/adapters/sqlite/sqlite-store.js';
import { pollFeed, type PollFeedDeps, type PollReport } from '../../src/app/poll-feed.js';
import type { Log } from '../../src/app/ports.js';
import { WatchRegistry } from '../../src/app/watch-registry.js';
import { feed, redirect, sequence, startFeedServer, type FeedServer } from '../support/feed-server.js';

const quiet: Log = { debug() {}, info() {}, warn() {}, error() {} };
const XML = `<?xml version="1.0"?><rss version="2.0"><channel><title>Moving Wire</title>
<item><guid>m1</guid><title>Story one</title></item></channel></rss>`;

/** Through the real fetcher and parser against the loopback feed server; the feed moves after 3 polls, as in
 * the runtime. */
describe('feeds that move (permanent redirects) and redirect loops', () => {
  let server: FeedServer;
  let fetcher: ReturnType<typeof createFeedFetcher>;
  let store: SqliteStore;
  let deps: PollFeedDeps;

  beforeAll(async () => {
    server = await startFeedServer({ '/new.xml': feed(XML) });
    fetcher = createFeedFetcher({ allowedHosts: ['127.0.0.1'], timeoutMs: 5000 });
  });
  afterAll(async () => {
    await fetcher.close();
    await server.close();
  });
  beforeEach(() => {
    store = openStore(':memory:');
    deps = {
      store,
      fetcher,
      parser: createFeedParser(),
      watches: new WatchRegistry(),
      clock: { now: () => new Date() },
      log: quiet,
      timing: { defaultIntervalSec: 300, minIntervalSec: 60, maxIntervalSec: 3600, jitter: 0 },
      random: () => 0.5,
      failureThreshold: 10,
      moveAfter: 3,
    };
  });
  afterEach(() => store.close());

  function subscribe(path: string): number {
    return store.subscribeFeed({
      url: server.url(path),
      scope: 'config',
      name: path,
      intervalSec: 300,
      nextPollAt: new Date(),
    }).id;
  }
  const poll = (id: number): Promise<PollReport> => pollFeed(deps, store.getFeed(id)!);
  const urlOf = (id: number): string => store.getFeed(id)!.url;

  for (const status of [301, 308]) {
    it(`follows a ${status} at once, and stores the new URL after it worked 3 times in a row`, async () => {
      const path = `/moved-${status}.xml`;
      server.route(path, redirect('/new.xml', status));
      const id = subscribe(path);
      for (let n = 1; n <= 2; n++) {
        expect((await poll(id)).status).toBe('ok');
        expect(urlOf(id)).toBe(server.url(path));
        expect(store.getFeed(id)).toMatchObject({ movedToUrl: server.url('/new.xml'), movedCount: n });
      }
      expect((await poll(id)).status).toBe('ok');
      expect(store.getFeed(id)).toMatchObject({
        url: server.url('/new.xml'),
        movedToUrl: null,
        movedCount: 0,
      });
      // From now on the old address is not asked at all.
      const oldHits = server.hits(path);
      expect((await poll(id)).status).toBe('ok');
      expect(server.hits(path)).toBe(oldHits);
    });
  }

  it('does not move a feed on a temporary redirect, nor on a chain with one temporary hop', async () => {
    server.route('/temporary.xml', redirect('/new.xml', 302));
    server.route('/mixed.xml', redirect('/temporary.xml', 301));
    const temporary = subscribe('/temporary.xml');
    const mixed = subscribe('/mixed.xml');
    for (let n = 0; n < 4; n++) {
      expect((await poll(temporary)).status).toBe('ok');
      expect((await poll(mixed)).status).toBe('ok');
    }
    expect(store.getFeed(temporary)).toMatchObject({ url: server.url('/temporary.xml'), movedCount: 0 });
    expect(store.getFeed(mixed)).toMatchObject({ url: server.url('/mixed.xml'), movedCount: 0 });
  });

  it('needs the redirect 3 polls in a row: a poll answered without it starts the count again', async () => {
    server.route(
      '/flaky.xml',
      sequence([redirect('/new.xml', 301), feed(XML), redirect('/new.xml', 301), redirect('/new.xml', 301)]),
    );
    const id = subscribe('/flaky.xml');
    await poll(id); // moved, count 1
    await poll(id); // answered directly: count reset
    expect(store.getFeed(id)?.movedCount).toBe(0);
    await poll(id);
    await poll(id);
    expect(store.getFeed(id)).toMatchObject({ url: server.url('/flaky.xml'), movedCount: 2 });
    await poll(id);
    expect(urlOf(id)).toBe(server.url('/new.xml'));
  });

  it('does not count a permanent redirect to an address that fails', async () => {
    server.route('/broken-target.xml', feed('oops', { status: 500 }));
    server.route('/to-broken.xml', redirect('/broken-target.xml', 301));
    const id = subscribe('/to-broken.xml');
    for (let n = 0; n < 4; n++) {
      const report = await poll(id);
      expect(report).toMatchObject({ status: 'error', problem: { code: 'http-5xx' } });
    }
    expect(store.getFeed(id)).toMatchObject({ url: server.url('/to-broken.xml'), movedCount: 0 });
  });

  it('reports a redirect loop as an error with its code, and keeps the URL', async () => {
    server.route('/loop-a.xml', redirect('/loop-b.xml', 301));
    server.route('/loop-b.xml', redirect('/loop-a.xml', 301));
    const id = subscribe('/loop-a.xml');
    const report = await poll(id);
    expect(report).toMatchObject({ status: 'error', problem: { code: 'too-many-redirects' } });
    expect(report.status === 'error' && report.problem.message).toContain('redirect loop');
    expect(store.getFeed(id)).toMatchObject({
      url: server.url('/loop-a.xml'),
      lastErrorCode: 'too-many-redirects',
      consecutiveFailures: 1,
      movedCount: 0,
    });
    // The loop was detected, not run until some limit: each address was asked once.
    expect(server.hits('/loop-a.xml')).toBe(1);
    expect(server.hits('/loop-b.xml')).toBe(1);
  });
});
