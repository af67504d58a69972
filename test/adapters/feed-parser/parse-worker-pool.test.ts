import { afterAll, describe, expect, it } from 'vitest';
import { parseFeedDocument } from '../../../src/adapters/feed-parser/feed-document.js';
import { createFeedParser } from '../../../src/adapters/feed-parser/feed-parser.js';
import { ParseWorkerError, ParseWorkerPool } from '../../../src/adapters/feed-parser/parse-worker-pool.js';

const LONG = 'Seoul weighed arms exports &amp; allies met. '.repeat(20);
const feedXml = (items: number): string =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire &#8220;T&#8221;</title>${Array.from(
    { length: items },
    (_, i) =>
      `<item><title>Story ${i}</title><link>/s/${i}</link><pubDate>Tue, 04 Mar 2025 09:${String(i % 60).padStart(2, '0')}:00 GMT</pubDate>` +
      `<description>&lt;p&gt;${LONG}&lt;/p&gt;</description><category>World</category></item>`,
  ).join('')}</channel></rss>`;

describe('parsing on worker threads', () => {
  const pool = new ParseWorkerPool(2);
  afterAll(() => pool.close());

  it('gives exactly the result of a parse on the calling thread, dates included', async () => {
    const xml = feedXml(50);
    const [offThread, here] = await Promise.all([
      pool.parse(xml, 'https://wire.example/rss'),
      parseFeedDocument(xml, 'https://wire.example/rss'),
    ]);
    expect(offThread).toEqual(here);
    expect(offThread.ok && offThread.feed.items[3]?.published).toBeInstanceOf(Date);
    expect(offThread.ok && offThread.feed.items[3]?.link).toBe('https://wire.example/s/3');
  });

  it('answers each of many concurrent jobs with its own document', async () => {
    const docs = Array.from({ length: 6 }, (_, i) => feedXml(i + 1));
    const results = await Promise.all(docs.map((d) => pool.parse(d, null)));
    expect(results.map((r) => (r.ok ? r.feed.items.length : -1))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(pool.inFlight).toBe(0);
  });

  it('reports problems as results, as on the calling thread', async () => {
    expect(await pool.parse('<html><body>moved</body></html>', null)).toMatchObject({
      ok: false,
      problem: { code: 'not-a-feed' },
    });
  });

  it('rejects jobs in flight when the pool closes, and createFeedParser then parses on its own thread', async () => {
    const closing = new ParseWorkerPool(1);
    const inFlight = closing.parse(feedXml(200), null);
    await closing.close();
    await expect(inFlight).rejects.toBeInstanceOf(ParseWorkerError);
    await expect(closing.parse(feedXml(1), null)).rejects.toBeInstanceOf(ParseWorkerError);

    const parser = createFeedParser({ pool: closing, offThreadMinChars: 0 });
    const result = await parser.parse(feedXml(3), null);
    expect(result.ok && result.feed.items.map((i) => i.title)).toEqual(['Story 0', 'Story 1', 'Story 2']);
  });

  it('sends only documents from the size threshold on to the workers', async () => {
    const counting = new ParseWorkerPool(1);
    let sent = 0;
    const parse = counting.parse.bind(counting);
    counting.parse = (text, url) => (sent++, parse(text, url));
    const parser = createFeedParser({ pool: counting, offThreadMinChars: 20_000 });
    const small = feedXml(2);
    const large = feedXml(40);
    expect(small.length).toBeLessThan(20_000);
    expect(large.length).toBeGreaterThanOrEqual(20_000);
    const [a, b] = await Promise.all([parser.parse(small, null), parser.parse(large, null)]);
    expect(sent).toBe(1);
    expect(a.ok && b.ok && [a.feed.items.length, b.feed.items.length]).toEqual([2, 40]);
    await counting.close();
  });
});
