import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFeedParser } from '../../src/adapters/feed-parser/feed-parser.js';
import { openStore, type SqliteStore } from '../../src/adapters/sqlite/sqlite-store.js';
import { FeedManagement } from '../../src/app/feed-management.js';
import type { FeedFetcher, FetchResult } from '../../src/app/ports.js';
import { WatchRegistry } from '../../src/app/watch-registry.js';

const rss = (title: string) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>${title}</title>` +
  `<item><guid>1</guid><title>First story</title></item></channel></rss>`;

/** A fetcher whose answers the test releases by hand, to interleave two /feed add commands. */
function gatedFetcher() {
  const waiting: Array<{ url: string; release: () => void }> = [];
  const fetcher: FeedFetcher = {
    fetch: (url) =>
      new Promise<FetchResult>((resolve) => {
        waiting.push({
          url,
          release: () =>
            resolve({
              kind: 'ok',
              text: rss(`Feed at ${url}`),
              finalUrl: url,
              permanentUrl: null,
              etag: null,
              lastModified: null,
              freshForSec: null,
            }),
        });
      }),
  };
  return { fetcher, waiting };
}

describe('FeedManagement.addFeed', () => {
  let store: SqliteStore;
  beforeEach(() => {
    store = openStore(':memory:');
  });
  afterEach(() => store.close());

  const manage = (fetcher: FeedFetcher, feedsPerServer: number) =>
    new FeedManagement({
      store,
      fetcher,
      parser: createFeedParser(),
      watches: new WatchRegistry(),
      clock: { now: () => new Date('2026-11-29T12:00:00Z') },
      timing: { defaultIntervalSec: 300, minIntervalSec: 60, maxIntervalSec: 3600, jitter: 0 },
      limits: { feedsPerServer },
      random: () => 0.5,
    });

  it('keeps the per-server limit when two adds race past the first check', async () => {
    const { fetcher, waiting } = gatedFetcher();
    const feeds = manage(fetcher, 1);
    const a = feeds.addFeed({ scope: 'guild:1', url: 'https://a.example/rss' });
    const b = feeds.addFeed({ scope: 'guild:1', url: 'https://b.example/rss' });
    await new Promise((r) => setImmediate(r));
    expect(waiting).toHaveLength(2); // both passed the check made before fetching
    waiting.forEach((w) => w.release());
    const results = await Promise.all([a, b]);
    expect(results.map((r) => r.ok)).toEqual([true, false]);
    expect(results[1]).toMatchObject({ code: 'limit-reached' });
    expect(store.listSubscriptions('guild:1')).toHaveLength(1);
  });

  it('adds the same URL once when it is pasted twice at the same moment', async () => {
    const { fetcher, waiting } = gatedFetcher();
    const feeds = manage(fetcher, 10);
    const a = feeds.addFeed({ scope: 'guild:1', url: 'https://a.example/rss' });
    const b = feeds.addFeed({ scope: 'guild:1', url: 'https://a.example/rss' });
    await new Promise((r) => setImmediate(r));
    waiting.forEach((w) => w.release());
    const [first, second] = await Promise.all([a, b]);
    expect(first).toMatchObject({ ok: true, itemCount: 1 });
    expect(second).toMatchObject({ ok: false, code: 'already-added' });
    expect(store.listSubscriptions('guild:1')).toHaveLength(1);
  });

  it('refuses something that is not a URL with an example of one', async () => {
    const result = await manage(gatedFetcher().fetcher, 10).addFeed({
      scope: 'guild:1',
      url: 'bbc world news',
    });
    expect(result).toMatchObject({ ok: false, code: 'invalid-url' });
    if (!result.ok) expect(result.message).toContain('https://');
  });
});
