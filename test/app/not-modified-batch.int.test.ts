import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createConsoleSender } from '../../src/adapters/delivery/console-sender.js';
import { createFeedParser } from '../../src/adapters/feed-parser/feed-parser.js';
import { createFeedFetcher } from '../../src/adapters/http/feed-fetcher.js';
import { openStore, type SqliteStore } from '../../src/adapters/sqlite/sqlite-store.js';
import { createApp } from '../../src/app.js';
import { feed, startFeedServer, type FeedServer } from '../support/feed-server.js';

const rss = (name: string) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>${name}</title>` +
  `<item><guid>${name}-1</guid><title>${name} story</title></item></channel></rss>`;

let server: FeedServer;
let dir: string;
let store: SqliteStore;

beforeEach(async () => {
  server = await startFeedServer();
  dir = mkdtempSync(join(tmpdir(), 'wirewatch-304-'));
  store = openStore(join(dir, 'wirewatch.db'));
});
afterEach(async () => {
  store.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

it("records every 304 of a tick (more than a batch), and a failing feed's recovery", async () => {
  let now = new Date('2026-12-06T12:00:00Z');
  const names = Array.from({ length: 70 }, (_, i) => `f${i}`);
  for (const name of names) server.route(`/${name}.xml`, feed(rss(name), { etag: `"${name}"` }));
  store.syncConfig({
    now,
    feeds: names.map((name) => ({ name, url: server.url(`/${name}.xml`), intervalSec: 300 })),
    destinations: [{ name: 'console', kind: 'console', target: '' }],
    watches: [],
  });
  const health: string[] = [];
  const app = createApp({
    store,
    fetcher: createFeedFetcher({ allowedHosts: ['127.0.0.1'], timeoutMs: 5000 }),
    parser: createFeedParser(),
    senders: new Map([['console', createConsoleSender(() => {})]]),
    log: { debug() {}, info() {}, warn() {}, error() {} },
    clock: { now: () => now },
    random: () => 0.5,
    onFeedHealth: (f, change) => void health.push(`${f.title ?? f.id} ${change}`),
    settings: {
      schedule: '* * * * *',
      concurrency: 4,
      timing: { defaultIntervalSec: 300, minIntervalSec: 60, maxIntervalSec: 3600, jitter: 0 },
      failureThreshold: 1,
      moveAfter: 2,
      deliveryIntervalMs: 60_000,
    },
  });
  expect((await app.tick()).ok).toBe(70);

  // f3 fails once (failing at threshold 1), then answers 304 like the others.
  server.route('/f3.xml', { status: 503, body: 'down' });
  now = new Date(now.getTime() + 600_000);
  expect((await app.tick()).errors).toBe(1);
  server.route('/f3.xml', feed(rss('f3'), { etag: '"f3"' }));

  now = new Date(now.getTime() + 3600_000);
  const tick = await app.tick();
  expect(tick).toMatchObject({ feeds: 70, notModified: 70 });
  for (const f of store.listFeeds()) {
    expect(f.lastSuccessAt).toEqual(now);
    expect(f.consecutiveFailures).toBe(0);
  }
  expect(health).toEqual(['f3 failing', 'f3 recovered']);
  // Recorded, so none is due again a minute later.
  now = new Date(now.getTime() + 60_000);
  expect((await app.tick()).feeds).toBe(0);
});
