import { FIELD_BIT } from './ast.js';
import type { CompiledQuery, Term } from './ast.js';
import type { Hit } from './item-view.js';
import { SEG_STRIDE } from './prepared-item.js';
import type { PreparedItem } from './prepared-item.js';

/**
 * Watches that are one simple term, or an OR of simple terms, are "direct": a simple term (a word, a
 * quoted word or a prefix, any case, not of a spaceless script) is true exactly when some text word it
 * accepts occurs in one of its fields. The index learns which item words a direct watch accepts once
 * per word (see WatchIndex's memo), so matching it needs no verifier: only the occurrences of those
 * words, which are also its hits. Most watches (and most matches) are of this kind.
 */
export function directTerms(q: CompiledQuery): readonly Term[] | null {
  const root = q.root;
  if (root.kind === 'term') return isSimple(root.term) ? [root.term] : null;
  if (root.kind !== 'or') return null;
  const terms: Term[] = [];
  for (const c of root.children) {
    if (c.kind !== 'term' || !isSimple(c.term)) return null;
    terms.push(c.term);
  }
  return terms;
}

function isSimple(t: Term): boolean {
  if (t.caseSensitive || t.words.length !== 1 || t.words[0]!.spaceless) return false;
  return t.mode === 'prefix' || ((t.mode === 'word' || t.mode === 'exact') && t.lookups !== null);
}

/** Whether a simple term accepts the normalised text word `w` (fields aside). */
export function acceptsWord(t: Term, w: string): boolean {
  return t.mode === 'prefix' ? w.startsWith(t.words[0]!.word) : t.lookups!.includes(w);
}

/** Bits of FIELD_BIT for each segment of the item. */
export function segmentFieldBits(item: PreparedItem): number[] {
  return item.segs.map((s) => FIELD_BIT[s.field]);
}

/**
 * Appends to `out` the occurrences (from `occ`, encoded as in PreparedItem) that lie in one of the term's
 * fields (`mask`), each as `code * MAX_TERM_SLOTS + termIndex` so that one numeric sort gives the hit order.
 */
export function addOccurrences(
  mask: number,
  termIndex: number,
  occ: readonly number[],
  segBits: readonly number[],
  out: number[],
): void {
  for (let i = 0; i < occ.length; i++) {
    const code = occ[i]!;
    const s = Math.floor(code / SEG_STRIDE);
    if ((segBits[s]! & mask) !== 0) out.push(code * MAX_TERM_SLOTS + termIndex);
  }
}

/** Query term indexes stay below this (MAX_TERMS). */
const MAX_TERM_SLOTS = 64;

/** Hits in reading order from the keys gathered by addOccurrences (as orderHits would give them). */
export function directHits(texts: readonly string[], keys: number[], item: PreparedItem): Hit[] {
  if (keys.length > 1) keys.sort((a, b) => a - b);
  const hits: Hit[] = [];
  let prevCode = -1;
  let prevText = '';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const ti = key % MAX_TERM_SLOTS;
    const code = (key - ti) / MAX_TERM_SLOTS;
    const text = texts[ti]!;
    // Two terms with the same text on the same word ("korea OR korea") report it once.
    if (code === prevCode && text === prevText) continue;
    prevCode = code;
    prevText = text;
    const s = Math.floor(code / SEG_STRIDE);
    const seg = item.segs[s]!;
    const tok = seg.tokens[code - s * SEG_STRIDE]!;
    const hit: Hit = {
      term: text,
      field: seg.field,
      start: tok.start,
      end: tok.end,
      text: seg.original.slice(tok.start, tok.end),
    };
    if (seg.part) hit.part = seg.part;
    if (seg.index >= 0) hit.index = seg.index;
    hits.push(hit);
  }
  return hits;
}
