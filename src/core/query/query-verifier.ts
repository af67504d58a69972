import { evaluate } from './ast.js';
import type { CompiledQuery } from './ast.js';
import type { Hit } from './item-view.js';
import { orderHits } from './item-view.js';
import type { PreparedItem } from './prepared-item.js';
import { termSpans } from './term-verifier.js';

/** Verifies one query against a prepared item; hits only when it matches. */
export function matchPrepared(q: CompiledQuery, item: PreparedItem): { matched: boolean; hits: Hit[] } {
  const matched = evaluate(q.root, (t) => termSpans(t, item, true).length > 0);
  if (!matched) return { matched, hits: [] };
  const spans = q.positiveTerms.flatMap((i) =>
    termSpans(q.terms[i]!, item, false).map((span) => ({ term: i, text: q.terms[i]!.text, span })),
  );
  return { matched, hits: orderHits(spans, item.segs) };
}
