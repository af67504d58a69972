import { describe, expect, it } from 'vitest';
import type { ParsedItem } from '../../src/core/feed-types.js';
import { itemKeys } from '../../src/core/item-key.js';

const item = (over: Partial<ParsedItem>): ParsedItem => ({
  id: null,
  title: null,
  link: null,
  summary: null,
  published: null,
  updated: null,
  author: null,
  categories: [],
  ...over,
});

describe('itemKeys', () => {
  it('uses the guid, which survives a corrected title and a new date', () => {
    const before = itemKeys([item({ id: 'urn:1', title: 'NATO chief urges Seoul', published: new Date(1) })]);
    const after = itemKeys([
      item({ id: 'urn:1', title: 'NATO chief urges Seoul to act', published: new Date(2) }),
    ]);
    expect(before).toEqual(after);
    expect(before[0]).toBe('id:urn:1');
  });

  it('falls back to the link when there is no guid', () => {
    expect(itemKeys([item({ link: 'https://example.org/a', title: 'x' })])).toEqual([
      'link:https://example.org/a',
    ]);
  });

  it('hashes title and date when there is neither guid nor link', () => {
    const [a] = itemKeys([item({ title: 'Storm hits coast', published: new Date('2026-11-01T00:00:00Z') })]);
    const [b] = itemKeys([item({ title: 'Storm hits coast', published: new Date('2026-11-02T00:00:00Z') })]);
    const [c] = itemKeys([item({ title: 'Storm hits coast', published: new Date('2026-11-01T00:00:00Z') })]);
    expect(a).toMatch(/^hash:[0-9a-f]{16}$/);
    expect(a).not.toBe(b);
    expect(a).toBe(c);
  });

  it('treats blank guids and links as missing', () => {
    expect(itemKeys([item({ id: '  ', link: ' https://example.org/b ' })])).toEqual([
      'link:https://example.org/b',
    ]);
  });

  it('falls back to guid + link when a feed repeats one guid for different items', () => {
    const keys = itemKeys([
      item({ id: 'story', link: 'https://example.org/1', title: 'One' }),
      item({ id: 'story', link: 'https://example.org/2', title: 'Two' }),
      item({ id: 'unique', link: 'https://example.org/3', title: 'Three' }),
    ]);
    expect(keys[0]).toBe('id+link:story https://example.org/1');
    expect(keys[1]).toBe('id+link:story https://example.org/2');
    expect(keys[2]).toBe('id:unique');
  });

  it('keeps one key for the same item listed twice', () => {
    const twice = item({ id: 'dup', link: 'https://example.org/1', title: 'Same' });
    expect(itemKeys([twice, { ...twice }])).toEqual(['id:dup', 'id:dup']);
  });
});
