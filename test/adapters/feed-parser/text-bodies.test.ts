import { describe, expect, it } from 'vitest';
import { extractTextBodies } from '../../../src/adapters/feed-parser/text-bodies.js';
import { readXmlFeed } from '../../../src/adapters/feed-parser/xml-feed-reader.js';

const LONG = 'Seoul weighed arms exports while allies met. '.repeat(12);
const rss = (items: string[]) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>${items.map((i) => `<item>${i}</item>`).join('')}</channel></rss>`;
/** A comment holding the placeholder character turns extraction off without changing the parsed tree. */
const withoutExtraction = (xml: string) => xml.replace('<rss', '<!--\uE000--><rss');

describe('long text bodies taken out before sax', () => {
  const cases: Record<string, string> = {
    'text with XML references': `<title>a</title><description>${LONG} &amp; &lt;p&gt; &#233; &#x2019; &quot;q&quot;</description>`,
    'named references only': `<description>${LONG} &amp;lt; &lt;p&gt; &quot;q&quot; &apos;a&apos; &amp;</description>`,
    'CDATA holding markup': `<description><![CDATA[<p>${LONG}</p><b>${LONG}</b>]]></description>`,
    'text and CDATA mixed': `<description>${LONG}<![CDATA[ <i>x</i> ]]>${LONG}</description>`,
    'a comment holding markup': `<title>c</title><!-- <b>${LONG}</b> --><description>${LONG}</description>`,
    'an attribute value holding ">"': `<description type="a>b">${LONG}</description>`,
    'a child element': `<description>${LONG}<b>bold</b>${LONG}</description>`,
    'leading zeros in a reference': `<description>${LONG}&#0233;&#x00e9;</description>`,
  };

  for (const [name, item] of Object.entries(cases)) {
    it(`gives the same tree as sax alone: ${name}`, async () => {
      const xml = rss([item, item]);
      const fast = await readXmlFeed(xml, 'rss', false);
      const plain = await readXmlFeed(withoutExtraction(xml), 'rss', false);
      expect(fast).toEqual(plain);
    });
  }

  it('takes the plain-text and CDATA bodies, and leaves short ones, child elements and CDATA content alone', () => {
    const { xml, bodies } = extractTextBodies(
      rss([cases['text with XML references']!, cases['CDATA holding markup']!, cases['a child element']!]),
    );
    expect(bodies).toHaveLength(2);
    expect(bodies[0]).toContain('& <p> é ’ "q"');
    expect(bodies[1]).toBe(`<p>${LONG}</p><b>${LONG}</b>`);
    expect(xml).toContain('<title>a</title>');
    expect(xml).toContain('<b>bold</b>');
  });

  it('leaves references only sax may judge in place, so sax reads them as it always did', async () => {
    for (const bad of ['&nbsp;', '& ', '&#1;', '&AMP;', '&#X41;', '&#xD800;', '&am;', '&amp']) {
      const xml = rss([`<description>${LONG}${bad}</description>`]);
      expect(extractTextBodies(xml).bodies).toHaveLength(0);
      const fast = await readXmlFeed(xml, 'rss', false).catch((err: Error) => err.message.split('\n')[0]);
      const plain = await readXmlFeed(withoutExtraction(xml), 'rss', false).catch(
        (err: Error) => err.message.split('\n')[0],
      );
      expect(fast).toEqual(plain);
    }
  });
});
