import { fieldBit } from './ast.js';
import type { CompiledQuery, Term } from './ast.js';
import type { PreparedItem } from './prepared-item.js';
import { acceptsForm } from './term-match.js';

/**
 * Watches that are one simple term, or an OR of simple terms, are "direct": a simple term (a word, a
 * quoted word or a prefix, any case, not of a spaceless script) is true exactly when some text word it
 * accepts occurs in one of its fields. The index learns which item words a direct watch accepts once
 * per word (see WatchIndex's memo), so matching it needs no verifier: only the occurrences of those
 * words, which are also its hits. Most watches (and most matches) are of this kind.
 */
export function directTerms(q: CompiledQuery): readonly Term[] | null {
  const root = q.root;
  // The query's own term list, not a new array: a term or an OR of terms lists exactly its terms, in order.
  if (root.kind === 'term') return isSimple(root.term) ? q.terms : null;
  if (root.kind !== 'or') return null;
  for (const c of root.children) if (c.kind !== 'term' || !isSimple(c.term)) return null;
  return q.terms;
}

function isSimple(t: Term): boolean {
  if (t.caseSensitive || t.words.length !== 1 || t.words[0]!.spaceless) return false;
  return t.mode === 'prefix' || ((t.mode === 'word' || t.mode === 'exact') && t.lookup);
}

/** Whether a simple term accepts the normalised text word `w` (fields aside). */
export function acceptsWord(t: Term, w: string): boolean {
  return t.mode === 'prefix' ? w.startsWith(t.words[0]!.word) : acceptsForm(t, w);
}

/** Bits of FIELD_BIT for each segment of the item, in `into` if it is long enough. */
export function segmentFieldBits(item: PreparedItem, into?: Int32Array): Int32Array {
  const n = item.segs.length;
  const bits = into && into.length >= n ? into : new Int32Array(Math.max(n, 8));
  for (let s = 0; s < n; s++) bits[s] = fieldBit(item.segs[s]!.field);
  return bits;
}
