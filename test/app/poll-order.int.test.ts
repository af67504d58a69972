import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createConsoleSender } from '../../src/adapters/delivery/console-sender.js';
import { createFeedParser } from '../../src/adapters/feed-parser/feed-parser.js';
import { createFeedFetcher } from '../../src/adapters/http/feed-fetcher.js';
import { openStore, type SqliteStore } from '../../src/adapters/sqlite/sqlite-store.js';
import { createApp } from '../../src/app.js';
import { SLOW_POLL_MS } from '../../src/app/poll-order.js';
import { feed, handler, startFeedServer, type FeedServer } from '../support/feed-server.js';

const rss = (name: string) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>${name}</title>` +
  `<item><guid>${name}-1</guid><title>${name} story</title></item></channel></rss>`;

let server: FeedServer;
let dir: string;
let store: SqliteStore;

beforeEach(async () => {
  server = await startFeedServer();
  dir = mkdtempSync(join(tmpdir(), 'wirewatch-poll-order-'));
  store = openStore(join(dir, 'wirewatch.db'));
});
afterEach(async () => {
  store.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

it('starts a feed that polled slowly before the others in the next tick', async () => {
  let now = new Date('2026-12-06T12:00:00Z');
  for (const name of ['a', 'b', 'c']) server.route(`/${name}.xml`, feed(rss(name)));
  server.route(
    '/slow.xml',
    handler((_req, res) => {
      setTimeout(
        () => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss('slow')),
        SLOW_POLL_MS + 100,
      );
    }),
  );
  store.syncConfig({
    now,
    feeds: ['a', 'slow', 'b', 'c'].map((name) => ({
      name,
      url: server.url(`/${name}.xml`),
      intervalSec: 300,
    })),
    destinations: [{ name: 'console', kind: 'console', target: '' }],
    watches: [],
  });
  const app = createApp({
    store,
    fetcher: createFeedFetcher({ allowedHosts: ['127.0.0.1'], timeoutMs: 5000 }),
    parser: createFeedParser(),
    senders: new Map([['console', createConsoleSender(() => {})]]),
    log: { debug() {}, info() {}, warn() {}, error() {} },
    clock: { now: () => now },
    random: () => 0.5,
    settings: {
      schedule: '* * * * *',
      // One at a time: the order of requests is the order the tick starts the feeds in.
      concurrency: 1,
      timing: { defaultIntervalSec: 300, minIntervalSec: 60, maxIntervalSec: 3600, jitter: 0 },
      failureThreshold: 3,
      moveAfter: 2,
      deliveryIntervalMs: 60_000,
    },
  });
  const paths = () => server.requests.splice(0).map((r) => r.path);

  expect((await app.tick()).ok).toBe(4);
  const first = paths();
  expect(first.indexOf('/slow.xml')).toBeGreaterThan(0);

  now = new Date(now.getTime() + 3600_000);
  expect((await app.tick()).feeds).toBe(4);
  const second = paths();
  expect(second[0]).toBe('/slow.xml');
  // The others keep the order they were due in.
  expect(second.slice(1)).toEqual(first.filter((p) => p !== '/slow.xml'));
});
