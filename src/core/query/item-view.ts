import { tokenize } from '../text/index.js';
import type { Token } from '../text/index.js';
import type { Field } from './ast.js';

/** One news item as the matcher sees it. */
export interface MatchInput {
  /** Plain text; HTML tags and entities are tolerated and decoded. */
  title: string;
  summary: string;
  /** The link's host name is part of `source:`. */
  link: string | null;
  author: string | null;
  categories: string[];
  /** Part of `source:`. */
  feedTitle: string;
  /** Wire attribution (e.g. "Reuters"); also part of `source:`. */
  wire?: string | null;
}

/**
 * Where a term matched. `start`/`end` are UTF-16 offsets into the original field string and `text` is
 * that slice. For `source:` the offsets are into `feedTitle`, unless `part` is `'host'` (offsets into the
 * link's host name, e.g. "www.reuters.com") or `'wire'` (offsets into `wire`). For `category:` the offsets
 * are into `categories[index]`.
 */
export interface Hit {
  /** The query term as written, without field prefix, quotes or `~N` (e.g. `South Korea`, `Ukrain*`, `=US`). */
  term: string;
  field: Field;
  start: number;
  end: number;
  text: string;
  part?: 'host' | 'wire';
  index?: number;
}

/** One separately tokenised piece of an item: phrases never run from one segment into the next. */
export interface Segment {
  readonly field: Field;
  readonly part?: 'host' | 'wire';
  readonly index?: number;
  readonly original: string;
  readonly tokens: readonly Token[];
}

/** A match location inside segment `seg` (original offsets). */
export interface Span {
  seg: number;
  start: number;
  end: number;
}

function hostOf(link: string | null): string | null {
  if (!link) return null;
  try {
    return new URL(link).hostname || null;
  } catch {
    return null;
  }
}

/** Splits an item into its searchable segments, in the order hits are reported. */
export function segmentsOf(item: MatchInput): Segment[] {
  const segs: Segment[] = [];
  const add = (field: Field, original: string | null | undefined, extra: Partial<Segment> = {}): void => {
    if (original) segs.push({ field, original, tokens: tokenize(original), ...extra });
  };
  add('title', item.title);
  add('summary', item.summary);
  add('source', item.feedTitle);
  add('source', hostOf(item.link), { part: 'host' });
  add('source', item.wire, { part: 'wire' });
  add('author', item.author);
  item.categories.forEach((c, index) => add('category', c, { index }));
  return segs;
}

export function spanToHit(term: string, seg: Segment, span: Span): Hit {
  const hit: Hit = {
    term,
    field: seg.field,
    start: span.start,
    end: span.end,
    text: seg.original.slice(span.start, span.end),
  };
  if (seg.part) hit.part = seg.part;
  if (seg.index !== undefined) hit.index = seg.index;
  return hit;
}

/** Hits in reading order (segment, then offset, then term order), without duplicates. */
export function orderHits(
  spans: Array<{ term: number; text: string; span: Span }>,
  segs: readonly Segment[],
): Hit[] {
  spans.sort(
    (a, b) =>
      a.span.seg - b.span.seg || a.span.start - b.span.start || a.span.end - b.span.end || a.term - b.term,
  );
  const out: Hit[] = [];
  let last = '';
  for (const s of spans) {
    const key = `${s.text}\u0000${s.span.seg}\u0000${s.span.start}\u0000${s.span.end}`;
    if (key === last) continue;
    last = key;
    out.push(spanToHit(s.text, segs[s.span.seg]!, s.span));
  }
  return out;
}
