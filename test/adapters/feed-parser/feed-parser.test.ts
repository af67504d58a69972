import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ParsedFeed } from '../../../src/core/feed-types.js';
import { createFeedParser } from '../../../src/adapters/feed-parser/feed-parser.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/feeds/${name}`, import.meta.url), 'utf8');
const parser = createFeedParser();

async function parseOk(text: string, url: string | null = null): Promise<ParsedFeed> {
  const result = await parser.parse(text, url);
  if (!result.ok) throw new Error(`expected a feed, got ${result.problem.code}: ${result.problem.message}`);
  return result.feed;
}

describe('RSS 2.0', () => {
  it('maps a wire feed to plain text, absolute links and dates', async () => {
    const feed = await parseOk(fixture('rss2-wire.xml'), 'https://wire.example.org/rss.xml');
    expect(feed.title).toBe('Wirewatch Test Wire & Cable');
    expect(feed.ttlMinutes).toBe(15);
    expect(feed.updated?.toISOString()).toBe('2025-03-04T09:30:00.000Z');
    const [nato, markets] = feed.items;
    expect(nato).toEqual({
      id: 'wire-2025-0001',
      title: 'NATO chief urges South Korea to send more military support to Ukraine',
      link: 'https://wire.example.org/world/nato-korea-ukraine',
      summary: 'The alliance’s secretary general met officials in Seoul.',
      published: new Date('2025-03-04T08:15:00Z'),
      updated: null,
      author: 'Wire Desk',
      categories: ['World', 'Defence'],
      source: expect.stringMatching(/^[\w-]{22}$/),
    });
    // No description: the only content element is the summary; a permalink guid is the link.
    expect(markets?.title).toBe('Markets rally as rates hold');
    expect(markets?.summary).toBe('Stocks rose in early trading.');
    expect(markets?.link).toBe('https://wire.example.org/markets/rally');
    expect(markets?.updated?.toISOString()).toBe('2025-03-04T08:00:00.000Z');
  });

  it('accepts <rss> without a version as RSS 2.0', async () => {
    const feed = await parseOk(fixture('rss-no-version.xml'));
    expect(feed.items[0]?.title).toBe('Still RSS 2');
    expect(feed.items[0]?.published?.toISOString()).toBe('2004-01-01T19:48:21.000Z');
  });

  it('resolves relative links against the feed URL, or the site link for a file', async () => {
    const xml =
      '<rss version="2.0"><channel><link>https://site.example/</link><item><link>a/b</link></item></channel></rss>';
    expect((await parseOk(xml, 'https://feeds.example/x/rss')).items[0]?.link).toBe(
      'https://feeds.example/x/a/b',
    );
    expect((await parseOk(xml, null)).items[0]?.link).toBe('https://site.example/a/b');
  });

  it('reads namespaced RSS whatever prefixes the document binds', async () => {
    const xml = `<r:rss version="2.0" xmlns:r="http://backend.userland.com/rss2" xmlns:d="http://purl.org/dc/elements/1.1/">
      <r:channel><r:title>NS</r:title><r:item><r:title>T</r:title><d:date>2025-01-02T03:04:05Z</d:date></r:item></r:channel></r:rss>`;
    const feed = await parseOk(xml);
    expect(feed.title).toBe('NS');
    expect(feed.items[0]?.updated?.toISOString()).toBe('2025-01-02T03:04:05.000Z');
  });
});

describe('Atom', () => {
  it('reads XHTML titles in document order, xml:base and the alternate link', async () => {
    const feed = await parseOk(fixture('atom-xhtml.xml'), 'https://elsewhere.example/feed');
    expect(feed.title).toBe('Seoul Desk & Friends');
    expect(feed.link).toBe('https://atom.example.org/news/');
    expect(feed.id).toBe('urn:uuid:4e0c5a4e-0000-4000-8000-000000000001');
    const [first, second] = feed.items;
    expect(first?.title).toBe('Breaking: Ukraine talks resume in Geneva');
    expect(first?.link).toBe('https://atom.example.org/news/2025/03/talks');
    expect(first?.summary).toBe('Delegations met again.');
    expect(first?.author).toBe('Kim Min-ji');
    expect(first?.categories).toEqual(['diplomacy']);
    expect(first?.published?.toISOString()).toBe('2025-03-04T00:00:00.000Z');
    // type="text" is text: markup-looking characters stay as they are.
    expect(second?.title).toBe('Arms policy <review> announced');
    expect(second?.summary).toBe('First paragraph. Second.');
  });

  it('reads Atom 0.3 (escaped mode, issued/modified)', async () => {
    const feed = await parseOk(fixture('atom03.xml'));
    expect(feed.title).toBe('Old Atom Feed');
    expect(feed.updated?.toISOString()).toBe('2004-01-01T19:48:21.000Z');
    expect(feed.items[0]).toMatchObject({
      title: 'Atom 0.3 entry',
      link: 'http://old.example.org/2004/01/entry',
      summary: 'Escaped content',
      published: new Date('2003-12-31T10:14:55Z'),
      updated: new Date('2004-01-01T10:14:55Z'),
    });
  });

  it('survives an invalid date instead of rejecting the feed', async () => {
    const xml =
      '<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>x</title><published>not a date</published></entry></feed>';
    const feed = await parseOk(xml);
    expect(feed.items[0]?.published).toBeNull();
  });
});

describe('RDF and JSON Feed', () => {
  it('reads RSS 1.0 with rdf:about as the item id', async () => {
    const feed = await parseOk(fixture('rdf.xml'));
    expect(feed.title).toBe('RDF Site Summary');
    expect(feed.items[0]).toMatchObject({
      id: 'http://rdf.example.org/items/1',
      title: 'First RDF item',
      categories: ['Science'],
    });
    expect(feed.items[0]?.updated?.toISOString()).toBe('2025-03-01T11:00:00.000Z');
  });

  it('reads JSON Feed 1.1', async () => {
    const feed = await parseOk(fixture('json-feed.json'));
    expect(feed.title).toBe('JSON Wire');
    expect(feed.items[0]).toEqual({
      id: 'j-1',
      title: 'Korea & NATO sign accord',
      link: 'https://json.example.org/stories/1',
      summary: 'Signed today.',
      published: new Date('2025-03-04T09:00:00Z'),
      updated: new Date('2025-03-04T11:00:00Z'),
      author: 'Desk',
      categories: ['korea', 'nato'],
    });
    expect(feed.items[1]).toMatchObject({ id: '2', title: null, summary: 'A summary' });
  });

  it('rejects JSON that is not a JSON Feed', async () => {
    const result = await parser.parse('{"hello": "world"}', null);
    expect(result).toMatchObject({ ok: false, problem: { code: 'not-a-feed' } });
  });
});

describe('hostile and broken documents', () => {
  it('classifies an HTML page as not-a-feed', async () => {
    expect(await parser.parse(fixture('html-page.html'), null)).toMatchObject({
      ok: false,
      problem: { code: 'not-a-feed' },
    });
  });

  it('classifies plain text and other XML as not-a-feed', async () => {
    expect(await parser.parse('hello world', null)).toMatchObject({
      ok: false,
      problem: { code: 'not-a-feed' },
    });
    expect(await parser.parse('<opml version="2.0"><body/></opml>', null)).toMatchObject({
      ok: false,
      problem: { code: 'not-a-feed' },
    });
  });

  it('refuses truncated XML rather than returning half an item', async () => {
    expect(await parser.parse(fixture('truncated.xml'), null)).toMatchObject({
      ok: false,
      problem: { code: 'parse-error' },
    });
  });

  it('does not expand a billion-laughs entity bomb', async () => {
    const started = Date.now();
    const result = await parser.parse(fixture('billion-laughs.xml'), null);
    expect(Date.now() - started).toBeLessThan(2000);
    const text = JSON.stringify(result);
    expect(text.length).toBeLessThan(2000);
    expect(text).not.toContain('lollol');
  });

  it('expands simple entities declared in the DOCTYPE', async () => {
    const xml =
      '<!DOCTYPE rss [<!ENTITY id "tag:example.com,">]><rss version="2.0"><channel><item><guid>&id;2025:1</guid></item></channel></rss>';
    expect((await parseOk(xml)).items[0]?.id).toBe('tag:example.com,2025:1');
  });

  it('reads not-well-formed feeds leniently (HTML entities, bare &, mismatched tags)', async () => {
    const feed = await parseOk(fixture('not-well-formed.xml'));
    expect(feed.title).toBe('Café — news');
    expect(feed.items[0]).toMatchObject({
      title: 'Q&A: what’s next',
      link: 'https://lenient.example.org/story?id=1&page=2',
      summary: 'Mismatched markup inside',
    });
  });

  it('returns plain strings for every text field', async () => {
    for (const name of [
      'rss2-wire.xml',
      'atom-xhtml.xml',
      'atom03.xml',
      'rdf.xml',
      'json-feed.json',
      'not-well-formed.xml',
    ]) {
      const feed = await parseOk(fixture(name));
      for (const item of feed.items) {
        for (const key of ['id', 'title', 'link', 'summary', 'author'] as const) {
          expect(item[key] === null || typeof item[key] === 'string').toBe(true);
        }
        expect(item.categories.every((c) => typeof c === 'string')).toBe(true);
      }
    }
  });
});
