import { describe, expect, it } from 'vitest';
import { buildOpml, parseOpml } from '../../src/core/opml.js';

describe('OPML', () => {
  it('reads feeds from nested folders, with entities, single quotes and duplicates', () => {
    const text = `<?xml version="1.0"?>
<opml version="1.0"><head><title>My &amp; feeds</title></head><body>
  <!-- <outline xmlUrl="https://commented.example/rss"/> -->
  <outline text="News">
    <outline type="rss" text="Wire" title="The Wire" xmlUrl="https://wire.example/rss?a=1&amp;b=2"/>
    <outline text='Second' xmlUrl='https://second.example/atom'></outline>
  </outline>
  <OUTLINE TEXT="Upper" XMLURL="https://upper.example/feed" />
  <outline text="Dup" xmlUrl="https://second.example/atom"/>
  <outline text="No URL"/>
</body></opml>`;
    expect(parseOpml(text)).toEqual({
      ok: true,
      title: 'My & feeds',
      entries: [
        { url: 'https://wire.example/rss?a=1&b=2', title: 'The Wire' },
        { url: 'https://second.example/atom', title: 'Second' },
        { url: 'https://upper.example/feed', title: 'Upper' },
      ],
    });
  });

  it('refuses a file that is not OPML', () => {
    expect(parseOpml('<rss version="2.0"><channel/></rss>')).toEqual({
      ok: false,
      message: 'not an OPML file (no <opml> element)',
    });
  });

  it('writes OPML that reads back to the same feeds, escaping attribute text', () => {
    const feeds = [
      { name: 'A "quoted" <name>', url: 'https://a.example/rss?x=1&y=2', title: 'A & co' },
      { name: 'plain', url: 'https://b.example/feed', title: null },
    ];
    const text = buildOpml('Export', feeds, new Date('2026-01-02T03:04:05Z'));
    expect(text).toContain('<dateCreated>Fri, 02 Jan 2026 03:04:05 GMT</dateCreated>');
    expect(text).toContain('xmlUrl="https://a.example/rss?x=1&amp;y=2"');
    const back = parseOpml(text);
    expect(back).toEqual({
      ok: true,
      title: 'Export',
      entries: [
        { url: 'https://a.example/rss?x=1&y=2', title: 'A & co' },
        { url: 'https://b.example/feed', title: 'plain' },
      ],
    });
  });
});
