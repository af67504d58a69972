/** A passage of at most `max` characters from `text`, cut at word boundaries, with ranges re-based onto it. */
export interface Snippet {
  text: string;
  ranges: Array<[number, number]>;
}

const ELLIPSIS = '…';

/**
 * Cuts `text` to about `max` characters. When the first highlighted range lies beyond the cut, the window moves so
 * that it shows the match: a reader must be able to see why the alert fired.
 */
export function makeSnippet(text: string, ranges: ReadonlyArray<[number, number]>, max = 300): Snippet {
  if (text.length <= max) return { text, ranges: ranges.filter(([s, e]) => e <= text.length && s < e) };
  const first = ranges.reduce((min, [s]) => Math.min(min, s), Infinity);
  let start = 0;
  if (first !== Infinity && first + 40 > max) {
    // Start a little before the match, at a word boundary, so the match has some context on its left.
    start = wordStartAtOrBefore(text, Math.max(0, first - Math.floor(max / 3)));
  }
  let end = Math.min(text.length, start + max - (start > 0 ? 1 : 0) - 1);
  if (end < text.length) end = wordEndAtOrBefore(text, end, start);
  const body = text.slice(start, end).trimEnd();
  const prefix = start > 0 ? ELLIPSIS : '';
  const suffix = start + body.length < text.length ? ELLIPSIS : '';
  const shift = prefix.length - start;
  const kept = ranges
    .filter(([s, e]) => s >= start && e <= start + body.length && s < e)
    .map(([s, e]): [number, number] => [s + shift, e + shift]);
  return { text: prefix + body + suffix, ranges: kept };
}

function wordStartAtOrBefore(text: string, index: number): number {
  let i = index;
  while (i > 0 && !/\s/.test(text[i - 1] ?? ' ')) i--;
  return i;
}

function wordEndAtOrBefore(text: string, index: number, floor: number): number {
  let i = index;
  while (i > floor && !/\s/.test(text[i] ?? ' ')) i--;
  // One enormous "word" (a URL): cut it rather than return nothing.
  return i <= floor ? index : i;
}
