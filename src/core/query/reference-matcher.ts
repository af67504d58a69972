import { evaluate } from './ast.js';
import type { CompiledQuery, Term } from './ast.js';
import type { Hit, MatchInput, Segment, Span } from './item-view.js';
import { orderHits, segmentsOf } from './item-view.js';
import { wordMatches, wordSpans } from './term-match.js';

/**
 * The slow, obviously correct matcher: tokenises the item afresh and checks every term against every
 * token of every segment by brute force. It is the oracle the indexed engine is tested against.
 */
export function referenceMatch(q: CompiledQuery, item: MatchInput): { matched: boolean; hits: Hit[] } {
  const segs = segmentsOf(item);
  const found = q.terms.map((t) => termSpans(t, segs));
  const matched = evaluate(q.root, (t) => (found[t.index] ?? []).length > 0);
  if (!matched) return { matched, hits: [] };
  const spans = q.positiveTerms.flatMap((i) =>
    (found[i] ?? []).map((span) => ({ term: i, text: q.terms[i]!.text, span })),
  );
  return { matched, hits: orderHits(spans, segs) };
}

function termSpans(term: Term, segs: readonly Segment[]): Span[] {
  const out: Span[] = [];
  segs.forEach((seg, s) => {
    if (!term.fields.includes(seg.field)) return;
    const toks = seg.tokens;
    if (term.mode === 'phrase') {
      for (let p = 0; p + term.words.length <= toks.length; p++) {
        if (term.words.every((w, i) => wordMatches(term, w, toks[p + i]!))) {
          out.push({ seg: s, start: toks[p]!.start, end: toks[p + term.words.length - 1]!.end });
        }
      }
    } else if (term.mode === 'near') {
      out.push(...nearSpans(term, seg, s));
    } else {
      for (const t of toks) {
        if (wordMatches(term, term.words[0]!, t)) {
          for (const [start, end] of wordSpans(term.words[0]!, t)) out.push({ seg: s, start, end });
        }
      }
    }
  });
  return out;
}

/**
 * Near: for every window [L, L + slop + k - 1] starting at a matching token, if some assignment of the k
 * words to distinct tokens of the window exists, every token of the window matching any word is a hit.
 */
function nearSpans(term: Term, seg: Segment, s: number): Span[] {
  const toks = seg.tokens;
  const width = term.slop + term.words.length - 1;
  const matchesAny = (p: number): boolean => term.words.some((w) => wordMatches(term, w, toks[p]!));
  const marked = new Set<number>();
  for (let L = 0; L < toks.length; L++) {
    if (!matchesAny(L)) continue;
    const hi = Math.min(toks.length - 1, L + width);
    if (!assignable(term, seg, 0, L, hi, new Set())) continue;
    for (let p = L; p <= hi; p++) if (matchesAny(p)) marked.add(p);
  }
  return [...marked].sort((a, b) => a - b).map((p) => ({ seg: s, start: toks[p]!.start, end: toks[p]!.end }));
}

function assignable(term: Term, seg: Segment, w: number, lo: number, hi: number, used: Set<number>): boolean {
  if (w === term.words.length) return true;
  for (let p = lo; p <= hi; p++) {
    if (used.has(p) || !wordMatches(term, term.words[w]!, seg.tokens[p]!)) continue;
    used.add(p);
    const ok = assignable(term, seg, w + 1, lo, hi, used);
    used.delete(p);
    if (ok) return true;
  }
  return false;
}
