import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ParsedFeed } from '../../../src/core/feed-types.js';
import { itemKeys } from '../../../src/core/item-key.js';
import { createFeedParser } from '../../../src/adapters/feed-parser/feed-parser.js';
import { itemChunks, withoutItems } from '../../../src/adapters/feed-parser/item-sources.js';

const URL_A = 'https://wire.example/rss.xml';

interface Story {
  guid?: string;
  title: string;
  link?: string;
  date?: string;
}

const item = (s: Story): string =>
  `<item>${s.guid === undefined ? '' : `<guid isPermaLink="false">${s.guid}</guid>`}<title>${s.title}</title>` +
  `${s.link === undefined ? '' : `<link>${s.link}</link>`}<pubDate>${s.date ?? 'Tue, 04 Mar 2025 09:00:00 GMT'}</pubDate>` +
  `<description><![CDATA[<p>About ${s.title}: <item>not an item</item></p>]]></description></item>`;

const rss = (
  stories: Story[],
  head = '<lastBuildDate>Tue, 04 Mar 2025 10:00:00 GMT</lastBuildDate>',
): string =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><link>https://wire.example/</link>${head}` +
  `${stories.map(item).join('\n')}<!-- <item> in a comment --></channel></rss>`;

const parser = createFeedParser();
async function parseOk(text: string, known?: ReadonlyMap<string, string>): Promise<ParsedFeed> {
  const result = await parser.parse(text, URL_A, known);
  if (!result.ok) throw new Error(`${result.problem.code}: ${result.problem.message}`);
  return result.feed;
}
/** What the store remembers after a poll: source → key of every parsed item. */
const remembered = (feed: ParsedFeed): Map<string, string> => {
  const keys = itemKeys(feed.items);
  return new Map(feed.items.map((it, i) => [it.source ?? '', keys[i] ?? '']));
};
const withoutSource = (feed: ParsedFeed) => feed.items.map(({ source: _source, ...rest }) => rest);

const stories = (n: number, from = 0): Story[] =>
  Array.from({ length: n }, (_, i) => ({
    guid: `g${from + i}`,
    title: `Story ${from + i}`,
    link: `/s/${from + i}`,
  }));

describe('item sources', () => {
  it('delimits each item, ignoring markup inside CDATA and comments', () => {
    const xml = rss(stories(3));
    const chunks = itemChunks(xml, URL_A);
    expect(chunks).toHaveLength(3);
    for (const c of chunks ?? []) {
      expect(xml.slice(c.start, c.start + 6)).toBe('<item>');
      expect(xml.slice(c.end - 7, c.end)).toBe('</item>');
    }
    expect(new Set(chunks?.map((c) => c.source)).size).toBe(3);
    expect(withoutItems(xml, chunks ?? [])).not.toContain('<guid');
  });

  it('gives Atom entries sources, and nothing for JSON, unknown roots or a document without a URL', () => {
    const atom = `<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><entry><id>1</id></entry><entry ><id>2</id></entry></feed>`;
    expect(itemChunks(atom, URL_A)).toHaveLength(2);
    expect(itemChunks('{"version":"https://jsonfeed.org/version/1.1","items":[]}', URL_A)).toBeNull();
    expect(itemChunks('<html><item></item></html>', URL_A)).toBeNull();
    expect(itemChunks(rss(stories(2)), null)).toBeNull();
  });

  it('gives up on items it cannot delimit for certain', () => {
    expect(itemChunks('<rss><channel><item><item></item></item></channel></rss>', URL_A)).toBeNull();
    expect(itemChunks('<rss><channel><item/><item></item></channel></rss>', URL_A)).toBeNull();
    expect(itemChunks('<rss><channel><item><title>cut', URL_A)).toBeNull();
    expect(itemChunks('<rss><channel><item><![CDATA[never closed</item>', URL_A)).toBeNull();
  });

  it('changes an item source when anything that changes its meaning changes, and only then', () => {
    const sources = (xml: string, url = URL_A) => itemChunks(xml, url)?.map((c) => c.source);
    const base = sources(rss(stories(2)));
    // Other channel elements (a new build date) do not matter.
    expect(sources(rss(stories(2), '<lastBuildDate>Wed, 05 Mar 2025 10:00:00 GMT</lastBuildDate>'))).toEqual(
      base,
    );
    // The URL relative links resolve against, an xml:base, a namespace or a DOCTYPE do.
    expect(sources(rss(stories(2)), 'https://elsewhere.example/rss.xml')).not.toEqual(base);
    expect(
      sources(rss(stories(2)).replace('<channel>', '<channel xml:base="https://cdn.example/">')),
    ).not.toEqual(base);
    expect(
      sources(rss(stories(2)).replace('<rss ', '<rss xmlns:dc="http://purl.org/dc/elements/1.1/" ')),
    ).not.toEqual(base);
    expect(sources(rss(stories(2)).replace('<rss ', '<!DOCTYPE rss [<!ENTITY x "y">]><rss '))).not.toEqual(
      base,
    );
    // The item's own text does, of course.
    const edited = sources(
      rss([...stories(1), { ...stories(2)[1]!, date: 'Wed, 05 Mar 2025 09:00:00 GMT' }]),
    );
    expect(edited?.[0]).toBe(base?.[0]);
    expect(edited?.[1]).not.toBe(base?.[1]);
  });
});

describe('parsing only the items that changed', () => {
  it('leaves unchanged items out and gives their keys, the rest exactly as a whole parse', async () => {
    const before = await parseOk(rss(stories(5)));
    const next = rss([...stories(2, 100), ...stories(3)]);
    const whole = await parseOk(next);
    const partial = await parseOk(next, remembered(before));
    expect(withoutSource(partial)).toEqual(withoutSource(whole).slice(0, 2));
    expect(partial.items.map((i) => i.source)).toEqual(whole.items.slice(0, 2).map((i) => i.source));
    expect(partial.unchangedKeys).toEqual(['id:g0', 'id:g1', 'id:g2']);
    expect(partial.title).toBe(whole.title);
    expect(partial.updated).toEqual(whole.updated);
  });

  it('parses the whole document when a new item shares a guid with an unchanged one', async () => {
    const before = await parseOk(rss(stories(3)));
    // A CMS that reuses a guid: both items are then keyed by guid + link, which needs them side by side.
    const next = rss([{ guid: 'g1', title: 'Another story', link: '/s/other' }, ...stories(3)]);
    const partial = await parseOk(next, remembered(before));
    expect(partial.unchangedKeys).toBeUndefined();
    expect(partial.items).toHaveLength(4);
    expect(itemKeys(partial.items)).toEqual(itemKeys((await parseOk(next)).items));
  });

  it('parses the whole document when a new item shares only the guid of an unchanged one', async () => {
    // Found by the property below: alone, the unchanged item was keyed by its guid; beside two other items with
    // that guid, every one of them is keyed by guid + link.
    const lone: Story = { guid: 'g3', title: 'NATO meets' };
    const before = await parseOk(rss([lone]));
    const next = rss([lone, { guid: 'g3', title: 'NATO meets', link: '/a' }, { guid: 'g3', title: 'Seoul' }]);
    const partial = await parseOk(next, remembered(before));
    expect(partial.unchangedKeys).toBeUndefined();
    expect(itemKeys(partial.items)).toEqual(itemKeys((await parseOk(next)).items));
    expect(itemKeys(partial.items).every((k) => k.startsWith('id+link:g3 '))).toBe(true);
  });

  it('reads a new item that needs repair as a whole parse does', async () => {
    const before = await parseOk(rss(stories(2)));
    const next = rss(stories(2)).replace('<channel>', '<channel><item><title>a & b</title></item>');
    const partial = await parseOk(next, remembered(before));
    expect(partial.items).toEqual((await parseOk(next)).items.slice(0, 1));
    expect(partial.items[0]?.title).toBe('a & b');
  });

  it('reports what a whole parse reports when the document is broken', async () => {
    const before = await parseOk(rss(stories(2)));
    const cut = rss([...stories(1, 9), ...stories(2)]).replace('</channel></rss>', '');
    const partial = await parser.parse(cut, URL_A, remembered(before));
    expect(partial).toEqual(await parser.parse(cut, URL_A));
    expect(partial.ok).toBe(false);
  });

  it('gives the same keys as a whole parse, whatever the feed does between polls', async () => {
    const storyArb = fc.record({
      guid: fc.option(fc.constantFrom('g1', 'g2', 'g3', 'g4', 'g5'), { nil: undefined }),
      title: fc.constantFrom('NATO meets', 'Seoul & Kyiv', 'Markets', 'Rates hold'),
      link: fc.option(fc.constantFrom('/a', '/b', 'https://x.example/c'), { nil: undefined }),
      date: fc.constantFrom('Tue, 04 Mar 2025 09:00:00 GMT', 'Wed, 05 Mar 2025 09:00:00 GMT'),
    });
    const escape = (s: Story): Story => ({ ...s, title: s.title.replace('&', '&amp;') });
    await fc.assert(
      fc.asyncProperty(
        fc.array(storyArb, { maxLength: 6 }),
        fc.array(storyArb, { maxLength: 6 }),
        async (first, second) => {
          const before = await parseOk(rss(first.map(escape)));
          const next = rss(second.map(escape));
          const whole = await parseOk(next);
          const partial = await parseOk(next, remembered(before));
          const partialKeys = [...itemKeys(partial.items), ...(partial.unchangedKeys ?? [])];
          expect(new Set(partialKeys)).toEqual(new Set(itemKeys(whole.items)));
          // Every parsed item is one of the whole parse's items (a key may stand on several of them).
          for (const it of partial.items) expect(whole.items).toContainEqual(it);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
