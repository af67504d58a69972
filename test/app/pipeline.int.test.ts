import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConsoleSender } from '../../src/adapters/delivery/console-sender.js';
import { createFeedParser } from '../../src/adapters/feed-parser/feed-parser.js';
import { createFeedFetcher } from '../../src/adapters/http/feed-fetcher.js';
import { openStore, type SqliteStore } from '../../src/adapters/sqlite/sqlite-store.js';
import { createApp, type App } from '../../src/app.js';
import type { AlertSender, DestinationKind, FeedParser, Log, ParseResult } from '../../src/app/ports.js';
import { feed, startFeedServer, type FeedServer } from '../support/feed-server.js';

interface Story {
  guid: string;
  title: string;
  date?: string;
}

const rss = (stories: Story[]) => `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Test Wire</title><link>http://127.0.0.1/</link>
${stories
  .map(
    (s) => `<item><guid>${s.guid}</guid><title>${s.title}</title><link>http://127.0.0.1/s/${s.guid}</link>
<pubDate>${s.date ?? 'Tue, 17 Nov 2026 09:30:00 GMT'}</pubDate><description>Story ${s.guid}.</description></item>`,
  )
  .join('\n')}
</channel></rss>`;

const old: Story[] = [
  { guid: 'a1', title: 'NATO ministers meet in Brussels' },
  { guid: 'a2', title: 'Markets close higher' },
];
const seed: Story = {
  guid: 'a3',
  title: 'NATO chief urges South Korea to step up military support for Ukraine',
};

const quiet: Log = { debug() {}, info() {}, warn() {}, error() {} };

describe('pipeline: poll → dedup → match → outbox → delivery', () => {
  let server: FeedServer;
  let dir: string;
  let store: SqliteStore;
  let now: Date;
  const clock = { now: () => now };
  let printed: string[];
  const advance = (minutes: number) => (now = new Date(now.getTime() + minutes * 60_000));

  function makeApp(sender?: AlertSender, parser: FeedParser = createFeedParser()): App {
    printed = [];
    const senders = new Map<DestinationKind, AlertSender>([
      ['console', sender ?? createConsoleSender((t) => void printed.push(t))],
    ]);
    const app = createApp({
      store,
      fetcher: createFeedFetcher({ allowedHosts: ['127.0.0.1'], timeoutMs: 5000 }),
      parser,
      senders,
      log: quiet,
      clock,
      random: () => 0.5,
      settings: {
        schedule: '* * * * *',
        concurrency: 4,
        timing: { defaultIntervalSec: 300, minIntervalSec: 60, maxIntervalSec: 3600, jitter: 0.1 },
        failureThreshold: 3,
        moveAfter: 2,
        deliveryIntervalMs: 60_000,
      },
    });
    app.watches.load(store.listWatches());
    return app;
  }

  function configure(feeds: Array<{ name: string; path: string }>): void {
    store.syncConfig({
      now,
      feeds: feeds.map((f) => ({ name: f.name, url: server.url(f.path), intervalSec: 300 })),
      destinations: [{ name: 'console', kind: 'console', target: '' }],
      watches: [
        { name: 'nato', query: 'NATO', feeds: null, destinations: null },
        { name: 'south-korea-only', query: '"South Korea" -"North Korea"', feeds: null, destinations: null },
      ],
    });
  }

  beforeEach(async () => {
    now = new Date('2026-11-29T12:00:00Z');
    server = await startFeedServer();
    dir = mkdtempSync(join(tmpdir(), 'wirewatch-pipeline-'));
    store = openStore(join(dir, 'wirewatch.db'), { now: clock.now });
  });
  afterEach(async () => {
    store.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records the first poll without alerting, then alerts each new item once', async () => {
    server.route('/wire.xml', feed(rss(old), { etag: 'auto' }));
    configure([{ name: 'wire', path: '/wire.xml' }]);
    const app = makeApp();

    const first = await app.tick();
    expect(first).toMatchObject({ feeds: 1, ok: 1, newItems: 2, alerts: 0 });
    expect(printed).toEqual([]);

    // Not due yet: nothing is fetched.
    advance(1);
    expect((await app.tick()).feeds).toBe(0);

    // Unchanged feed: a 304, nothing parsed or alerted.
    advance(10);
    const unchanged = await app.tick();
    expect(unchanged).toMatchObject({ feeds: 1, notModified: 1, alerts: 0 });
    expect(server.requests.at(-1)?.headers['if-none-match']).toBeTruthy();

    server.route('/wire.xml', feed(rss([seed, ...old]), { etag: 'auto' }));
    advance(10);
    const second = await app.tick();
    expect(second).toMatchObject({ ok: 1, newItems: 1, alerts: 2 });
    expect(printed).toHaveLength(2);
    expect(printed.join('')).toContain('━━ nato ━━ [NATO] chief urges South Korea');
    expect(printed.join('')).toContain('━━ south-korea-only ━━');

    // Re-ordered and re-dated: still the same items, never alerted again.
    server.route(
      '/wire.xml',
      feed(rss([...old, { ...seed, date: 'Wed, 18 Nov 2026 10:00:00 GMT' }].reverse()), { etag: 'auto' }),
    );
    advance(10);
    expect(await app.tick()).toMatchObject({ ok: 1, newItems: 0, alerts: 0 });
    expect(printed).toHaveLength(2);
    await app.stop();
  });

  it('never re-alerts after a restart (dedup state is in the database)', async () => {
    server.route('/wire.xml', feed(rss(old)));
    configure([{ name: 'wire', path: '/wire.xml' }]);
    await makeApp().tick();
    server.route('/wire.xml', feed(rss([seed, ...old])));
    advance(10);
    expect((await makeApp().tick()).alerts).toBe(2);

    store.close();
    store = openStore(join(dir, 'wirewatch.db'), { now: clock.now });
    configure([{ name: 'wire', path: '/wire.xml' }]);
    const app = makeApp();
    advance(10);
    expect(await app.tick()).toMatchObject({ ok: 1, newItems: 0, alerts: 0 });
    expect(printed).toEqual([]);
  });

  it('keeps alerts in the outbox across a crash before delivery, and delivers each exactly once after restart', async () => {
    server.route('/wire.xml', feed(rss(old)));
    configure([{ name: 'wire', path: '/wire.xml' }]);
    await makeApp().tick();
    server.route('/wire.xml', feed(rss([seed, ...old])));
    advance(10);
    // The destination is down while the alerts are found: they stay pending.
    const down: AlertSender = {
      kind: 'console',
      send: async () => ({ ok: false, retry: true, error: 'down' }),
    };
    expect((await makeApp(down).tick()).alerts).toBe(2);
    expect(store.outboxDepth()).toBe(2);

    // "Crash": the process goes away without delivering; a new one opens the same file.
    store.close();
    store = openStore(join(dir, 'wirewatch.db'), { now: clock.now });
    advance(60);
    const app = makeApp();
    expect(await app.deliver()).toEqual({ delivered: 2, retrying: 0, failed: 0 });
    expect(await app.deliver()).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    expect(printed).toHaveLength(2);
    expect(store.outboxDepth()).toBe(0);
  });

  it('one broken feed never stops the others, and its failure is recorded with a code', async () => {
    server.route('/good.xml', feed(rss(old)));
    server.route(
      '/html',
      feed('<!doctype html><html><body>Not a feed</body></html>', { contentType: 'text/html' }),
    );
    server.route('/gone', { status: 500, body: 'oops' });
    configure([
      { name: 'good', path: '/good.xml' },
      { name: 'html', path: '/html' },
      { name: 'gone', path: '/gone' },
    ]);
    const app = makeApp();
    const summary = await app.tick();
    expect(summary).toMatchObject({ feeds: 3, ok: 1, errors: 2 });
    const byUrl = (p: string) => store.getFeedByUrl(server.url(p));
    expect(byUrl('/html')?.lastErrorCode).toBe('not-a-feed');
    expect(byUrl('/gone')?.lastErrorCode).toBe('http-5xx');
    expect(byUrl('/gone')?.consecutiveFailures).toBe(1);
    // Backoff: a failing feed is retried later, not on every tick.
    expect(byUrl('/gone')!.nextPollAt.getTime()).toBeGreaterThan(now.getTime());
    expect(byUrl('/good.xml')?.lastErrorCode).toBeNull();
  });

  it('parses only the items whose XML changed, and keeps remembering the unchanged ones', async () => {
    const results: ParseResult[] = [];
    const real = createFeedParser();
    const recording: FeedParser = {
      parse: async (text, url, known) => {
        const result = await real.parse(text, url, known);
        results.push(result);
        return result;
      },
    };
    // No validators: the server answers 200 with the whole document every time, as many feeds do.
    server.route('/wire.xml', feed(rss(old)));
    configure([{ name: 'wire', path: '/wire.xml' }]);
    const app = makeApp(undefined, recording);
    await app.tick();
    expect(store.itemSources(store.getFeedByUrl(server.url('/wire.xml'))!.id).size).toBe(2);

    server.route('/wire.xml', feed(rss([seed, ...old])));
    advance(10);
    expect(await app.tick()).toMatchObject({ ok: 1, newItems: 1, alerts: 2 });
    const second = results.at(-1);
    expect(second?.ok && second.feed.items.map((i) => i.id)).toEqual(['a3']);
    expect(second?.ok && second.feed.unchangedKeys).toEqual(['id:a1', 'id:a2']);

    // Six weeks on, the feed still lists its old stories unchanged: they are still remembered (bumped although
    // not parsed), so the NATO story from the first poll never alerts as new.
    for (let week = 0; week < 6; week++) {
      advance(7 * 24 * 60);
      expect(await app.tick()).toMatchObject({ ok: 1, newItems: 0, alerts: 0 });
    }
    expect(results.at(-1)?.ok && (results.at(-1) as { feed: { items: unknown[] } }).feed.items).toEqual([]);
    expect(printed.filter((p) => p.includes('ministers'))).toEqual([]);
    // The two alerts of the second poll were delivered weeks ago: the outbox has let them go.
    expect(store.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM outbox').get()?.n).toBe(0);
    await app.stop();
  });
});
