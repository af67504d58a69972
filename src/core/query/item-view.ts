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
  /** Which part of `source:` this is (null: the feed title, or not a source segment). */
  readonly part: 'host' | 'wire' | null;
  /** Index into `categories` for category segments, else -1. */
  readonly index: number;
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

function segment(field: Field, original: string, part: Segment['part'], index: number): Segment {
  // Every segment has the same shape (one hidden class): they are read in the engine's hottest loops.
  return { field, part, index, original, tokens: tokenize(original) };
}

/** Splits an item into its searchable segments, in the order hits are reported. */
export function segmentsOf(item: MatchInput): Segment[] {
  const segs: Segment[] = [];
  if (item.title) segs.push(segment('title', item.title, null, -1));
  if (item.summary) segs.push(segment('summary', item.summary, null, -1));
  if (item.feedTitle) segs.push(segment('source', item.feedTitle, null, -1));
  const host = hostOf(item.link);
  if (host) segs.push(segment('source', host, 'host', -1));
  if (item.wire) segs.push(segment('source', item.wire, 'wire', -1));
  if (item.author) segs.push(segment('author', item.author, null, -1));
  item.categories.forEach((c, i) => {
    if (c) segs.push(segment('category', c, null, i));
  });
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
  if (seg.index >= 0) hit.index = seg.index;
  return hit;
}

export interface TermSpan {
  term: number;
  text: string;
  span: Span;
}

/** Hits in reading order (segment, then offset, then term order), without duplicates. */
export function orderHits(spans: TermSpan[], segs: readonly Segment[]): Hit[] {
  if (spans.length > 1) {
    spans.sort(
      (a, b) =>
        a.span.seg - b.span.seg || a.span.start - b.span.start || a.span.end - b.span.end || a.term - b.term,
    );
  }
  if (spans.length === 1) return [spanToHit(spans[0]!.text, segs[spans[0]!.span.seg]!, spans[0]!.span)];
  const out: Hit[] = [];
  let prev: TermSpan | null = null;
  for (const s of spans) {
    const same =
      prev !== null &&
      prev.text === s.text &&
      prev.span.seg === s.span.seg &&
      prev.span.start === s.span.start &&
      prev.span.end === s.span.end;
    prev = s;
    if (!same) out.push(spanToHit(s.text, segs[s.span.seg]!, s.span));
  }
  return out;
}
