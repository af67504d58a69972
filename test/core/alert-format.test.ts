import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src/core/alert.js';
import {
  EMBED_LIMITS,
  escapeMarkdown,
  formatAlertEmbed,
  formatAlertText,
  truncate,
} from '../../src/core/alert-format.js';

const alert = (over: Partial<Alert> = {}): Alert => ({
  watchId: 1,
  watchName: 'nato',
  query: 'NATO',
  feedId: 1,
  itemKey: 'id:1',
  title: 'NATO chief urges South Korea to do more',
  link: 'https://news.example.org/a',
  feedTitle: 'Example Wire',
  host: 'news.example.org',
  published: '2026-11-17T09:30:00.000Z',
  snippet: 'The head of NATO pressed Seoul.',
  matchedTerms: ['NATO'],
  highlights: { title: [[0, 4]], snippet: [[12, 16]] },
  mentionRoleId: null,
  color: 0x3366ff,
  ...over,
});

describe('formatAlertText', () => {
  it('prints title, source, link, snippet with the match marked, and what matched', () => {
    const text = formatAlertText(alert());
    expect(text).toContain('[NATO] chief urges South Korea');
    expect(text).toContain('Example Wire · news.example.org');
    expect(text).toContain('https://news.example.org/a');
    expect(text).toContain('The head of [NATO] pressed Seoul.');
    expect(text).toContain('matched: NATO');
  });
});

describe('formatAlertEmbed', () => {
  it('bolds matches, links the title, and shows the time as a Discord timestamp', () => {
    const embed = formatAlertEmbed(alert());
    expect(embed.title).toBe('NATO chief urges South Korea to do more');
    expect(embed.url).toBe('https://news.example.org/a');
    expect(embed.description).toContain('The head of **NATO** pressed Seoul.');
    expect(embed.description).toContain(`<t:${Date.parse('2026-11-17T09:30:00Z') / 1000}:R>`);
    expect(embed.footer.text).toBe('nato · matched: NATO');
    expect(embed.author?.name).toBe('Example Wire · news.example.org');
    expect(embed.color).toBe(0x3366ff);
  });

  it('escapes markdown from the feed so it cannot break formatting', () => {
    const embed = formatAlertEmbed(
      alert({ title: '*Breaking* _news_', snippet: 'a **b** c', highlights: { title: [], snippet: [] } }),
    );
    expect(embed.title).toBe('\\*Breaking\\* \\_news\\_');
    expect(embed.description.startsWith('a \\*\\*b\\*\\* c')).toBe(true);
  });

  it('stays within every Discord limit for huge input, cutting cleanly', () => {
    const huge = 'Ünïcødé 🚀 '.repeat(2000);
    const embed = formatAlertEmbed(
      alert({
        title: huge,
        snippet: huge,
        feedTitle: huge,
        watchName: huge,
        highlights: { title: [], snippet: [] },
      }),
    );
    expect(embed.title.length).toBeLessThanOrEqual(EMBED_LIMITS.title);
    expect(embed.description.length).toBeLessThanOrEqual(EMBED_LIMITS.description);
    expect(embed.footer.text.length).toBeLessThanOrEqual(EMBED_LIMITS.footer);
    const total =
      embed.title.length +
      embed.description.length +
      embed.footer.text.length +
      (embed.author?.name.length ?? 0);
    expect(total).toBeLessThanOrEqual(EMBED_LIMITS.total);
    expect(embed.title.endsWith('…')).toBe(true);
    // No lone surrogate (half an emoji) anywhere.
    const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
    for (const s of [embed.title, embed.description, embed.footer.text])
      expect(loneSurrogate.test(s)).toBe(false);
  });

  it('omits url, timestamp and colour when the alert has none', () => {
    const embed = formatAlertEmbed(alert({ link: null, published: null, color: null }));
    expect(embed.url).toBeUndefined();
    expect(embed.timestamp).toBeUndefined();
    expect(embed.color).toBeUndefined();
  });
});

describe('helpers', () => {
  it('truncate never exceeds the limit', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
  });
  it('escapeMarkdown leaves hyphens inside words alone', () => {
    expect(escapeMarkdown('NATO-led force')).toBe('NATO-led force');
    expect(escapeMarkdown('- list')).toBe('\\- list');
  });
});
