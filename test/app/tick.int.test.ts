import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConsoleSender } from '../../src/adapters/delivery/console-sender.js';
import { createFeedParser } from '../../src/adapters/feed-parser/feed-parser.js';
import { createFeedFetcher } from '../../src/adapters/http/feed-fetcher.js';
import { openStore, type SqliteStore } from '../../src/adapters/sqlite/sqlite-store.js';
import { createApp, type App, type AppDeps } from '../../src/app.js';
import { SLOW_POLL_MS } from '../../src/app/poll-order.js';
import { feed, handler, startFeedServer, type FeedServer } from '../support/feed-server.js';

const rss = (name: string) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>${name}</title>` +
  `<item><guid>${name}-1</guid><title>${name} story</title></item></channel></rss>`;

/** How a tick runs its due feeds: in which order it starts them, and how it records their 304s. */
describe('a poll tick', () => {
  let server: FeedServer;
  let dir: string;
  let store: SqliteStore;
  let now: Date;

  beforeEach(async () => {
    now = new Date('2026-12-06T12:00:00Z');
    server = await startFeedServer();
    dir = mkdtempSync(join(tmpdir(), 'wirewatch-tick-'));
    store = openStore(join(dir, 'wirewatch.db'));
  });
  afterEach(async () => {
    store.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function appFor(names: string[], concurrency: number, extra: Partial<AppDeps> = {}): App {
    store.syncConfig({
      now,
      feeds: names.map((name) => ({ name, url: server.url(`/${name}.xml`), intervalSec: 300 })),
      destinations: [{ name: 'console', kind: 'console', target: '' }],
      watches: [],
    });
    return createApp({
      store,
      fetcher: createFeedFetcher({ allowedHosts: ['127.0.0.1'], timeoutMs: 5000 }),
      parser: createFeedParser(),
      senders: new Map([['console', createConsoleSender(() => {})]]),
      log: { debug() {}, info() {}, warn() {}, error() {} },
      clock: { now: () => now },
      random: () => 0.5,
      settings: {
        schedule: '* * * * *',
        concurrency,
        timing: { defaultIntervalSec: 300, minIntervalSec: 60, maxIntervalSec: 3600, jitter: 0 },
        failureThreshold: 1,
        moveAfter: 2,
        deliveryIntervalMs: 60_000,
      },
      ...extra,
    });
  }
  const later = (ms: number) => (now = new Date(now.getTime() + ms));

  it('starts a feed that polled slowly before the others in the next tick', async () => {
    for (const name of ['a', 'b', 'c']) server.route(`/${name}.xml`, feed(rss(name)));
    server.route(
      '/slow.xml',
      handler((_req, res) => {
        const body = rss('slow');
        setTimeout(
          () => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(body),
          SLOW_POLL_MS + 100,
        );
      }),
    );
    // One at a time: the order of requests is the order the tick starts the feeds in.
    const app = appFor(['a', 'slow', 'b', 'c'], 1);
    const paths = () => server.requests.splice(0).map((r) => r.path);

    expect((await app.tick()).ok).toBe(4);
    const first = paths();
    expect(first.indexOf('/slow.xml')).toBeGreaterThan(0);

    later(3600_000);
    expect((await app.tick()).feeds).toBe(4);
    const second = paths();
    expect(second[0]).toBe('/slow.xml');
    // The others keep the order they were due in.
    expect(second.slice(1)).toEqual(first.filter((p) => p !== '/slow.xml'));
  });

  it("records every 304 (more than one batch of them), and a failing feed's recovery", async () => {
    const names = Array.from({ length: 70 }, (_, i) => `f${i}`);
    for (const name of names) server.route(`/${name}.xml`, feed(rss(name), { etag: `"${name}"` }));
    const health: string[] = [];
    const app = appFor(names, 4, {
      onFeedHealth: (f, change) => void health.push(`${f.title ?? f.id} ${change}`),
    });
    expect((await app.tick()).ok).toBe(70);

    // f3 fails once (failing at threshold 1), then answers 304 like the others.
    server.route('/f3.xml', { status: 503, body: 'down' });
    later(600_000);
    expect((await app.tick()).errors).toBe(1);
    server.route('/f3.xml', feed(rss('f3'), { etag: '"f3"' }));

    later(3600_000);
    expect(await app.tick()).toMatchObject({ feeds: 70, notModified: 70 });
    for (const f of store.listFeeds()) {
      expect(f.lastSuccessAt).toEqual(now);
      expect(f.consecutiveFailures).toBe(0);
    }
    expect(health).toEqual(['f3 failing', 'f3 recovered']);
    // Recorded, so none is due again a minute later.
    later(60_000);
    expect((await app.tick()).feeds).toBe(0);
  });
});
