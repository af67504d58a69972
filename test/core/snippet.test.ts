import { describe, expect, it } from 'vitest';
import { makeSnippet } from '../../src/core/snippet.js';

describe('makeSnippet', () => {
  it('keeps short text whole', () => {
    expect(makeSnippet('NATO meets', [[0, 4]], 300)).toEqual({ text: 'NATO meets', ranges: [[0, 4]] });
  });

  it('cuts long text at a word boundary with an ellipsis', () => {
    const text = 'word '.repeat(100).trim();
    const s = makeSnippet(text, [], 50);
    expect(s.text.length).toBeLessThanOrEqual(50);
    expect(s.text.endsWith('word…')).toBe(true);
  });

  it('moves the window to show a match beyond the cut, and re-bases its range', () => {
    const text = `${'filler '.repeat(80)}NATO summit ends ${'tail '.repeat(40)}`;
    const start = text.indexOf('NATO');
    const s = makeSnippet(text, [[start, start + 4]], 120);
    expect(s.text.startsWith('…')).toBe(true);
    expect(s.text.length).toBeLessThanOrEqual(121);
    const [range] = s.ranges;
    expect(range).toBeDefined();
    expect(s.text.slice(range![0], range![1])).toBe('NATO');
  });
});
