import { fieldBit } from './ast.js';
import type { Term } from './ast.js';
import type { Segment, Span } from './item-view.js';
import { SEG_STRIDE } from './prepared-item.js';
import type { PreparedItem } from './prepared-item.js';
import { CompiledTerm } from './compiled-term.js';
import { lookupForms, wordMatches, wordSpans } from './term-match.js';

/**
 * Where a term occurs in a prepared item, found through the item's word table rather than by scanning.
 * With `firstOnly` it stops at the first occurrence (enough to decide a match).
 */
export function termSpans(term: Term, item: PreparedItem, firstOnly: boolean): Span[] {
  switch (term.mode) {
    case 'phrase':
      return phraseSpans(term, item, firstOnly);
    case 'near':
      return nearSpans(term, item, firstOnly);
    default:
      return term.lookup ? lookedUpSpans(term, item, firstOnly) : scannedSpans(term, item, firstOnly);
  }
}

function allowed(term: Term, seg: Segment): boolean {
  return (term.fieldMask & fieldBit(seg.field)) !== 0;
}

function lookedUpSpans(term: Term, item: PreparedItem, firstOnly: boolean): Span[] {
  const out: Span[] = [];
  const q = term.words[0]!;
  const forms = term instanceof CompiledTerm ? term.forms() : lookupForms(term);
  const words = item.words;
  for (const key of forms) {
    const d = words.find(key);
    if (d < 0) continue;
    for (let o = words.firsts[d]!; o >= 0; o = words.nexts[o]!) {
      const s = words.segOf[o]!;
      const seg = item.segs[s]!;
      if (!allowed(term, seg)) continue;
      const tok = seg.tokens[words.posOf[o]!]!;
      if (!wordMatches(term, q, tok)) continue;
      out.push({ seg: s, start: tok.start, end: tok.end });
      if (firstOnly) return out;
    }
  }
  return out;
}

/** Prefixes and spaceless words: a scan of the item's distinct words, or of its spaceless tokens. */
function scannedSpans(term: Term, item: PreparedItem, firstOnly: boolean): Span[] {
  const out: Span[] = [];
  const q = term.words[0]!;
  if (!q.spaceless) {
    const words = item.words;
    for (let d = 0; d < words.count; d++) {
      if (!words.words[d]!.startsWith(q.word)) continue;
      for (let o = words.firsts[d]!; o >= 0; o = words.nexts[o]!) {
        const s = words.segOf[o]!;
        const seg = item.segs[s]!;
        const tok = seg.tokens[words.posOf[o]!]!;
        if (!allowed(term, seg) || !wordMatches(term, q, tok)) continue;
        out.push({ seg: s, start: tok.start, end: tok.end });
        if (firstOnly) return out;
      }
    }
    return out;
  }
  for (const s of item.spacelessSegs) {
    const seg = item.segs[s]!;
    if (!allowed(term, seg)) continue;
    for (const tok of seg.tokens) {
      if (!wordMatches(term, q, tok)) continue;
      for (const [start, end] of wordSpans(q, tok)) {
        out.push({ seg: s, start, end });
        if (firstOnly) return out;
      }
    }
  }
  return out;
}

/** Encoded occurrences of query word `w` in allowed segments, or every allowed position for spaceless words. */
function candidatePositions(term: Term, item: PreparedItem, w: number): number[] {
  const q = term.words[w]!;
  const out: number[] = [];
  if (!q.spaceless) {
    const words = item.words;
    const d = words.find(q.word);
    if (d >= 0) for (let o = words.firsts[d]!; o >= 0; o = words.nexts[o]!) out.push(words.codes[o]!);
    return out;
  }
  for (const s of item.spacelessSegs) {
    const toks = item.segs[s]!.tokens;
    for (let p = 0; p < toks.length; p++) if (toks[p]!.spaceless) out.push(s * SEG_STRIDE + p);
  }
  return out;
}

function phraseSpans(term: Term, item: PreparedItem, firstOnly: boolean): Span[] {
  const out: Span[] = [];
  const words = term.words;
  const a = Math.max(0, term.anchor);
  for (const code of candidatePositions(term, item, a)) {
    const s = Math.floor(code / SEG_STRIDE);
    const seg = item.segs[s]!;
    const p0 = code - s * SEG_STRIDE - a;
    if (!allowed(term, seg) || p0 < 0 || p0 + words.length > seg.tokens.length) continue;
    if (!words.every((q, i) => wordMatches(term, q, seg.tokens[p0 + i]!))) continue;
    out.push({ seg: s, start: seg.tokens[p0]!.start, end: seg.tokens[p0 + words.length - 1]!.end });
    if (firstOnly) return out;
  }
  return out;
}

/** Near: windows [L, L + slop + k - 1] from each matching token; all matching tokens of a good window are hits. */
function nearSpans(term: Term, item: PreparedItem, firstOnly: boolean): Span[] {
  const k = term.words.length;
  const bySeg = new Map<number, Set<number>>();
  for (let w = 0; w < k; w++) {
    for (const code of candidatePositions(term, item, w)) {
      const s = Math.floor(code / SEG_STRIDE);
      const seg = item.segs[s]!;
      const p = code - s * SEG_STRIDE;
      if (!allowed(term, seg) || !wordMatches(term, term.words[w]!, seg.tokens[p]!)) continue;
      let set = bySeg.get(s);
      if (!set) bySeg.set(s, (set = new Set()));
      set.add(p);
    }
  }
  const out: Span[] = [];
  for (const [s, set] of [...bySeg].sort((x, y) => x[0] - y[0])) {
    if (set.size < k) continue;
    const seg = item.segs[s]!;
    const pos = [...set].sort((x, y) => x - y);
    const marked = new Set<number>();
    for (let i = 0; i < pos.length; i++) {
      const hi = pos[i]! + term.slop + k - 1;
      let j = i;
      while (j < pos.length && pos[j]! <= hi) j++;
      const window = pos.slice(i, j);
      if (window.length < k || !fullMatching(term, seg, window)) continue;
      for (const p of window) marked.add(p);
      if (firstOnly) break;
    }
    for (const p of [...marked].sort((x, y) => x - y)) {
      out.push({ seg: s, start: seg.tokens[p]!.start, end: seg.tokens[p]!.end });
    }
    if (firstOnly && out.length > 0) return out;
  }
  return out;
}

/** Bipartite matching (Kuhn): can every query word take a distinct token of the window? */
function fullMatching(term: Term, seg: Segment, window: number[]): boolean {
  const owner = new Array<number>(window.length).fill(-1);
  const words = term.words;
  const tryWord = (w: number, seen: boolean[]): boolean => {
    for (let i = 0; i < window.length; i++) {
      if (seen[i] || !wordMatches(term, words[w]!, seg.tokens[window[i]!]!)) continue;
      seen[i] = true;
      if (owner[i] === -1 || tryWord(owner[i]!, seen)) {
        owner[i] = w;
        return true;
      }
    }
    return false;
  };
  for (let w = 0; w < words.length; w++)
    if (!tryWord(w, new Array<boolean>(window.length).fill(false))) return false;
  return true;
}
