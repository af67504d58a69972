import type { CompiledQuery, QueryNode } from './ast.js';
import type { Hit, Span, TermSpan } from './item-view.js';
import { orderHits } from './item-view.js';
import type { PreparedItem } from './prepared-item.js';
import { termSpans } from './term-verifier.js';

/**
 * Verifies one query against a prepared item; hits only when it matches. Each term's occurrences are
 * found at most once: the same list decides the match and, if it matches, becomes the hits.
 */
export function matchPrepared(q: CompiledQuery, item: PreparedItem): { matched: boolean; hits: Hit[] } {
  if (q.root.kind === 'term') {
    // The most common watch: one word or phrase. Its occurrences are its hits.
    const term = q.root.term;
    const list = termSpans(term, item, false);
    if (list.length === 0) return { matched: false, hits: [] };
    return {
      matched: true,
      hits: orderHits(
        list.map((span) => ({ term: term.index, text: term.text, span })),
        item.segs,
      ),
    };
  }
  const found: Array<Span[] | undefined> = new Array<Span[] | undefined>(q.terms.length);
  if (!holds(q.root, item, found)) return { matched: false, hits: [] };
  const spans: TermSpan[] = [];
  for (const i of q.positiveTerms) {
    const term = q.terms[i]!;
    const list = found[i] ?? termSpans(term, item, false);
    for (const span of list) spans.push({ term: i, text: term.text, span });
  }
  return { matched: true, hits: orderHits(spans, item.segs) };
}

/** `evaluate` specialised for the hot path: no closures, short-circuits, remembers occurrences. */
function holds(node: QueryNode, item: PreparedItem, found: Array<Span[] | undefined>): boolean {
  switch (node.kind) {
    case 'term': {
      const i = node.term.index;
      const list = found[i] ?? (found[i] = termSpans(node.term, item, false));
      return list.length > 0;
    }
    case 'not':
      return !holds(node.child, item, found);
    case 'and':
      for (const c of node.children) if (!holds(c, item, found)) return false;
      return true;
    case 'or':
      for (const c of node.children) if (holds(c, item, found)) return true;
      return false;
  }
}
