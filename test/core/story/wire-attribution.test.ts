import { describe, expect, it } from 'vitest';
import { parseWireAttribution } from '../../../src/core/story/index.js';

const wire = (summary: string, title = 'Headline', author: string | null = null) =>
  parseWireAttribution({ title, summary, author }).wire;

describe('wire attribution', () => {
  it('reads datelines and strips them from the lead', () => {
    const parsed = parseWireAttribution({
      title: 'NATO chief urges South Korea to send more support',
      summary: 'SEOUL (Reuters) — NATO Secretary General Mark Rutte on Tuesday urged South Korea…',
    });
    expect(parsed.wire).toBe('Reuters');
    expect(parsed.lead).toBe('NATO Secretary General Mark Rutte on Tuesday urged South Korea…');
    expect(wire('SEOUL, March 3 (Yonhap) -- North Korea fired a missile.')).toBe('Yonhap');
    expect(wire('KYIV, Ukraine (AP) — Russia launched dozens of drones.')).toBe('AP');
    expect(wire('GENEVA (AFP) - The United States and Russia will hold talks.')).toBe('AFP');
  });

  it('reads parenthesised and trailing credits, and the author field', () => {
    expect(wire('The tanks are the biggest export deal yet. (Reuters)')).toBe('Reuters');
    expect(wire('Forty ships took part in the exercise. — AFP')).toBe('AFP');
    expect(wire('Forty ships took part (AP).')).toBe('AP');
    expect(wire('North Korea fired a missile.', 'Headline', 'Yonhap News Agency')).toBe('Yonhap');
    expect(wire('North Korea fired a missile.', 'Headline', 'By The Associated Press')).toBe('AP');
  });

  it('does not take a mention in running text for a credit', () => {
    expect(wire('Officials told the Associated Press that talks would resume.')).toBeNull();
    expect(wire('Mark Rutte urged South Korea to do more, according to Reuters.')).toBeNull();
    expect(wire('Prices rose (ap) this week, a typo says.')).toBeNull();
    expect(wire('A report on Korea.', 'Headline', 'Jane Doe')).toBeNull();
  });
});
