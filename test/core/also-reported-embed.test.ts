import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src/core/alert.js';
import { EMBED_LIMITS, formatAlertEmbed } from '../../src/core/alert-format.js';
import { alsoReportedEmbed } from '../../src/core/also-reported-embed.js';
import type { StoryReport } from '../../src/core/story/index.js';

const alert = (snippet: string): Alert => ({
  watchId: 1,
  watchName: 'nato',
  query: 'NATO',
  feedId: 1,
  itemKey: 'id:1',
  title: 'NATO chief urges South Korea to do more',
  link: 'https://news.example/a',
  feedTitle: 'World Wire',
  host: 'news.example',
  published: '2026-03-03T09:30:00.000Z',
  snippet,
  matchedTerms: ['NATO'],
  highlights: { title: [[0, 4]], snippet: [] },
  mentionRoleId: null,
  color: null,
});

const report = (i: number): StoryReport => ({
  feedTitle: `Outlet number ${i}`,
  host: `outlet${i}.example`,
  title: 'NATO chief urges Seoul',
  link: `https://outlet${i}.example/story/${i}`,
  wire: null,
});

describe('alsoReportedEmbed', () => {
  it('is the alert embed plus one field listing the outlets', () => {
    const embed = alsoReportedEmbed(alert('Rutte pressed Seoul.'), [report(1), report(2)]);
    const { fields, ...rest } = embed;
    expect(rest).toEqual(formatAlertEmbed(alert('Rutte pressed Seoul.')));
    expect(fields).toEqual([
      {
        name: 'Also reported by (2)',
        value:
          '[Outlet number 1](https://outlet1.example/story/1)\n[Outlet number 2](https://outlet2.example/story/2)',
        inline: false,
      },
    ]);
    expect(alsoReportedEmbed(alert('x'), []).fields).toBeUndefined();
  });

  it('stays within the 1024-character field and the 6000-character embed, however many outlets', () => {
    const reports = Array.from({ length: 200 }, (_, i) => report(i));
    for (const snippet of ['short', 'long lead '.repeat(600)]) {
      const embed = alsoReportedEmbed(alert(snippet), reports);
      const value = embed.fields?.[0]?.value ?? '';
      expect(value.length).toBeLessThanOrEqual(1024);
      expect(value).toMatch(/…and \d+ more$/);
      const total =
        embed.title.length +
        embed.description.length +
        embed.footer.text.length +
        (embed.author?.name.length ?? 0) +
        (embed.fields?.[0]?.name.length ?? 0) +
        value.length;
      expect(total).toBeLessThanOrEqual(EMBED_LIMITS.total);
    }
  });
});
