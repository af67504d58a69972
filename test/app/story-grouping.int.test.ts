import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConsoleSender } from '../../src/adapters/delivery/console-sender.js';
import { createFeedParser } from '../../src/adapters/feed-parser/feed-parser.js';
import { createFeedFetcher } from '../../src/adapters/http/feed-fetcher.js';
import { openStore, type SqliteStore } from '../../src/adapters/sqlite/sqlite-store.js';
import { createApp, type App } from '../../src/app.js';
import type { AlertSender, DestinationKind, Log } from '../../src/app/ports.js';
import { feed, startFeedServer, type FeedServer } from '../support/feed-server.js';
import { outletRss, type OutletItem } from '../support/outlet-feed.js';

type Item = OutletItem;
const rss = outletRss;

const OLD: Item = { guid: 'old', title: 'Harvest festival opens', summary: 'Pumpkins everywhere.' };

const REUTERS: Item = {
  guid: 'r1',
  title: 'NATO chief urges South Korea to send more military support to Ukraine',
  summary:
    "SEOUL (Reuters) - NATO Secretary General Mark Rutte on Tuesday urged South Korea to step up military support for Ukraine, saying Seoul's arms industry could help Kyiv hold the front line.",
};
const HERALD: Item = {
  guid: 'h1',
  title: 'Rutte presses Seoul to boost military aid to Ukraine',
  summary:
    "NATO Secretary General Mark Rutte urged South Korea on Tuesday to step up its military support for Ukraine, saying the country's arms industry could help Kyiv. (Reuters)",
};
const YONHAP: Item = {
  guid: 'y1',
  title: 'NATO secretary general calls on S. Korea to expand support for Ukraine',
  summary:
    "SEOUL, March 3 (Yonhap) -- NATO Secretary General Mark Rutte called on South Korea on Tuesday to expand its military support for Ukraine, citing Seoul's defence industry.",
};
/** Same day, same topic (NATO, Rutte, Ukraine), different story: must alert on its own. */
const OTHER_NATO: Item = {
  guid: 'h2',
  title: 'NATO chief says allies pledged $40 billion in Ukraine military aid',
  summary:
    'BRUSSELS (Reuters) - NATO allies have pledged $40 billion in military aid to Ukraine for next year, NATO Secretary General Mark Rutte said on Tuesday after a meeting of defence ministers.',
};

const quiet: Log = { debug() {}, info() {}, warn() {}, error() {} };

describe('story grouping through the pipeline: one story, one alert', () => {
  let server: FeedServer;
  let dir: string;
  let store: SqliteStore;
  let now: Date;
  const clock = { now: () => now };
  let printed: string[];

  function open(): App {
    store = openStore(join(dir, 'wirewatch.db'), { now: clock.now });
    printed = [];
    const senders = new Map<DestinationKind, AlertSender>([
      ['console', createConsoleSender((t) => void printed.push(t))],
    ]);
    const app = createApp({
      store,
      fetcher: createFeedFetcher({ allowedHosts: ['127.0.0.1'], timeoutMs: 5000 }),
      parser: createFeedParser(),
      senders,
      log: quiet,
      clock,
      random: () => 0.5,
      stories: { windowMs: 48 * 3600_000, followUps: false },
      settings: {
        schedule: '* * * * *',
        concurrency: 4,
        timing: { defaultIntervalSec: 300, minIntervalSec: 60, maxIntervalSec: 3600, jitter: 0 },
        failureThreshold: 3,
        moveAfter: 2,
        deliveryIntervalMs: 60_000,
      },
    });
    app.watches.load(store.listWatches());
    return app;
  }

  async function tick(app: App): Promise<void> {
    now = new Date(now.getTime() + 2 * 3600_000);
    await app.tick();
  }

  const publish = (outlet: string, items: Item[]) =>
    server.route(`/${outlet}.xml`, feed(rss(outlet, [...items, OLD]), { etag: 'auto' }));

  beforeEach(async () => {
    now = new Date('2026-03-03T08:00:00Z');
    server = await startFeedServer();
    dir = mkdtempSync(join(tmpdir(), 'wirewatch-stories-'));
    for (const outlet of ['reuters', 'herald', 'yonhap']) publish(outlet, []);
  });
  afterEach(async () => {
    store.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('alerts a story once, lists later outlets as updates, keeps same-topic stories apart, across a restart', async () => {
    let app = open();
    store.syncConfig({
      now,
      feeds: ['reuters', 'herald', 'yonhap'].map((o) => ({
        name: o,
        url: server.url(`/${o}.xml`),
        intervalSec: 300,
      })),
      destinations: [{ name: 'console', kind: 'console', target: '' }],
      watches: [
        { name: 'nato', query: 'NATO', feeds: null, destinations: null },
        { name: 'reuters-korea', query: 'Korea source:Reuters', feeds: null, destinations: null },
      ],
    });
    app.watches.load(store.listWatches());
    await tick(app); // primes the three feeds

    publish('reuters', [REUTERS]);
    await tick(app);
    const alerts = () => printed.filter((p) => p.startsWith('━━'));
    expect(alerts()).toHaveLength(2);
    expect(alerts().join('')).toContain('━━ nato ━━ [NATO] chief urges South Korea');
    expect(alerts().join('')).toContain('━━ reuters-korea ━━');

    // The Korea Herald runs the Reuters story under its own headline, beside a different NATO story.
    publish('herald', [HERALD, OTHER_NATO]);
    await tick(app);
    expect(alerts()).toHaveLength(3);
    expect(alerts()[2]).toContain('chief says allies pledged $40 billion');
    const updates = printed.filter((p) => p.includes('↳'));
    // One update line per watch that matched the Herald's copy: nato, and reuters-korea (its "(Reuters)" credit).
    expect(updates).toHaveLength(2);
    expect(updates[0]).toContain('also reported by herald (Reuters): Rutte presses Seoul');

    // Restart in the middle: the story state comes back from SQLite.
    await app.stop();
    store.close();
    app = open();
    publish('yonhap', [YONHAP]);
    await tick(app);
    expect(printed.filter((p) => p.startsWith('━━'))).toEqual([]);
    const afterRestart = printed.filter((p) => p.includes('↳'));
    // nato matches; reuters-korea does not (the Yonhap copy credits Yonhap, not Reuters).
    expect(afterRestart).toHaveLength(1);
    expect(afterRestart[0]).toContain('also reported by yonhap (Yonhap)');

    const natoWatch = store.listWatches().find((w) => w.name === 'nato')!;
    const first = store
      .listPendingAlerts(new Date(8.64e15), 10)
      .concat()
      .find((r) => r.watchId === natoWatch.id);
    expect(first).toBeUndefined(); // everything delivered
    const outboxIds = store.db
      .prepare('SELECT id, item_key FROM outbox WHERE watch_id = ?')
      .all(natoWatch.id) as Array<{
      id: number;
      item_key: string;
    }>;
    expect(outboxIds).toHaveLength(2);
    const reutersAlert = outboxIds.find((r) => r.item_key.includes('r1'))!;
    expect(store.updatesOf(reutersAlert.id).map((u) => u.report.feedTitle)).toEqual(['herald', 'yonhap']);
    expect(store.updatesOf(reutersAlert.id).every((u) => u.kind === 'also-reported')).toBe(true);
  });

  it('alerts every matching item when story grouping is off', async () => {
    store = openStore(join(dir, 'wirewatch.db'), { now: clock.now });
    printed = [];
    const app = createApp({
      store,
      fetcher: createFeedFetcher({ allowedHosts: ['127.0.0.1'], timeoutMs: 5000 }),
      parser: createFeedParser(),
      senders: new Map<DestinationKind, AlertSender>([
        ['console', createConsoleSender((t) => void printed.push(t))],
      ]),
      log: quiet,
      clock,
      random: () => 0.5,
      stories: null,
      settings: {
        schedule: '* * * * *',
        concurrency: 4,
        timing: { defaultIntervalSec: 300, minIntervalSec: 60, maxIntervalSec: 3600, jitter: 0 },
        failureThreshold: 3,
        moveAfter: 2,
        deliveryIntervalMs: 60_000,
      },
    });
    store.syncConfig({
      now,
      feeds: ['reuters', 'herald'].map((o) => ({ name: o, url: server.url(`/${o}.xml`), intervalSec: 300 })),
      destinations: [{ name: 'console', kind: 'console', target: '' }],
      watches: [{ name: 'nato', query: 'NATO', feeds: null, destinations: null }],
    });
    app.watches.load(store.listWatches());
    await tick(app);
    publish('reuters', [REUTERS]);
    publish('herald', [HERALD]);
    await tick(app);
    expect(printed.filter((p) => p.startsWith('━━'))).toHaveLength(2);
    await app.stop();
  });
});
