import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFeedParser } from '../../src/adapters/feed-parser/feed-parser.js';
import { createFeedFetcher } from '../../src/adapters/http/feed-fetcher.js';
import { openStore, type SqliteStore } from '../../src/adapters/sqlite/sqlite-store.js';
import { createApp, type App } from '../../src/app.js';
import type { AlertSender, DestinationKind, Log } from '../../src/app/ports.js';
import type { UpdatedAlert, UpdateResult } from '../../src/app/story-ports.js';
import { feed, startFeedServer, type FeedServer } from '../support/feed-server.js';
import { outletRss, type OutletItem } from '../support/outlet-feed.js';

type Item = OutletItem;
const rss = outletRss;

const LEAD =
  "NATO Secretary General Mark Rutte on Tuesday urged South Korea to step up military support for Ukraine, saying Seoul's arms industry could help Kyiv hold the front line.";
const OLD: Item = { guid: 'old', title: 'Harvest festival opens', summary: 'Pumpkins everywhere.' };
const REUTERS: Item = {
  guid: 'r1',
  title: 'NATO chief urges South Korea to send more military support to Ukraine',
  summary: `SEOUL (Reuters) - ${LEAD}`,
};
const RESPONSE: Item = {
  guid: 'y1',
  title: 'NATO chief urges South Korea to help Ukraine; North Korea responds with threats',
  summary: `SEOUL (Yonhap) -- ${LEAD} North Korea responded with threats.`,
};
const SECOND: Item = {
  guid: 'y2',
  title: 'NATO chief urges South Korea to help Ukraine; Seoul weighs artillery shipments',
  summary: `SEOUL (Yonhap) -- ${LEAD} Officials in Seoul weighed artillery shipments.`,
};

describe('follow-ups: the thread of an alert is remembered between updates and restarts', () => {
  let server: FeedServer;
  let dir: string;
  let store: SqliteStore;
  let now: Date;
  const clock = { now: () => now };
  const seen: Array<{ kind: string; threadId: string | null | undefined }> = [];
  const warnings: string[] = [];
  let answer: (row: UpdatedAlert) => UpdateResult;

  const log: Log = { debug() {}, info() {}, warn: (_o, msg) => void warnings.push(msg ?? ''), error() {} };
  const sender: AlertSender = {
    kind: 'console',
    send: async (_d, row) => ({ ok: true, remoteId: `m${row.id}` }),
    async sendUpdate(_d, row: UpdatedAlert, update): Promise<UpdateResult> {
      seen.push({ kind: update.kind, threadId: row.threadId });
      return answer(row);
    },
  };

  function open(): App {
    store = openStore(join(dir, 'wirewatch.db'), { now: clock.now });
    const app = createApp({
      store,
      fetcher: createFeedFetcher({ allowedHosts: ['127.0.0.1'], timeoutMs: 5000 }),
      parser: createFeedParser(),
      senders: new Map<DestinationKind, AlertSender>([['console', sender]]),
      log,
      clock,
      random: () => 0.5,
      stories: { windowMs: 48 * 3600_000, followUps: true },
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

  const tick = async (app: App) => {
    now = new Date(now.getTime() + 2 * 3600_000);
    await app.tick();
  };
  const publish = (outlet: string, items: Item[]) =>
    server.route(`/${outlet}.xml`, feed(rss(outlet, [...items, OLD]), { etag: 'auto' }));

  beforeEach(async () => {
    now = new Date('2026-03-03T08:00:00Z');
    seen.length = 0;
    warnings.length = 0;
    server = await startFeedServer();
    dir = mkdtempSync(join(tmpdir(), 'wirewatch-threads-'));
    for (const outlet of ['reuters', 'yonhap']) publish(outlet, []);
  });
  afterEach(async () => {
    store.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores the thread the sender started, hands it back after a restart, and logs a fallback', async () => {
    let app = open();
    store.syncConfig({
      now,
      feeds: ['reuters', 'yonhap'].map((o) => ({ name: o, url: server.url(`/${o}.xml`), intervalSec: 300 })),
      destinations: [{ name: 'console', kind: 'console', target: '' }],
      watches: [{ name: 'nato', query: 'NATO', feeds: null, destinations: null }],
    });
    app.watches.load(store.listWatches());
    await tick(app);
    publish('reuters', [REUTERS]);
    await tick(app);
    const alertId = (
      store.db.prepare("SELECT id FROM outbox WHERE item_key LIKE '%r1%'").get() as { id: number }
    ).id;

    answer = () => ({ ok: true, remoteId: 'p1', threadId: 'thread-1' });
    publish('yonhap', [RESPONSE]);
    await tick(app);
    expect(seen).toEqual([{ kind: 'follow-up', threadId: null }]);
    expect(store.alertThread(alertId)).toBe('thread-1');

    await app.stop();
    store.close();
    app = open();
    answer = () => ({
      ok: true,
      remoteId: 'p2',
      threadId: null,
      fallback: 'follow-up posted as a reply: test',
    });
    publish('yonhap', [RESPONSE, SECOND]);
    await tick(app);
    expect(seen).toEqual([
      { kind: 'follow-up', threadId: null },
      { kind: 'follow-up', threadId: 'thread-1' },
    ]);
    // The sender gave the thread up (null): it is forgotten, and the fallback is in the log.
    expect(store.alertThread(alertId)).toBeNull();
    expect(warnings.some((w) => w.includes('follow-up posted as a reply: test'))).toBe(true);
    await app.stop();
  });
});
