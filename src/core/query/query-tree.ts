import type { QueryNode } from './ast.js';

/** Shared `positiveTerms` lists for queries without NOT (most of them), by term count. */
const ALL_POSITIVE: Array<readonly number[]> = [];

function positiveTermIndexes(node: QueryNode, negated: boolean, out: number[]): number[] {
  if (node.kind === 'term') {
    if (!negated) out.push(node.term.index);
  } else if (node.kind === 'not') {
    positiveTermIndexes(node.child, !negated, out);
  } else {
    for (const c of node.children) positiveTermIndexes(c, negated, out);
  }
  return out;
}

/** Whether the tree has a NOT: without one, every term is positive (the shared list serves). */
function hasNot(node: QueryNode): boolean {
  if (node.kind === 'term') return false;
  if (node.kind === 'not') return true;
  for (const c of node.children) if (hasNot(c)) return true;
  return false;
}

/** The indexes of the terms under an even number of NOTs (CompiledQuery.positiveTerms). */
export function positiveTermsOf(root: QueryNode, termCount: number): readonly number[] {
  if (hasNot(root)) return positiveTermIndexes(root, false, []).slice();
  let shared = ALL_POSITIVE[termCount];
  if (shared === undefined) {
    shared = ALL_POSITIVE[termCount] = Object.freeze(Array.from({ length: termCount }, (_, i) => i));
  }
  return shared;
}

/** `evaluate(node, () => false)` without its closures: whether the query is true for a story with no words. */
export function trueWithNoTerms(node: QueryNode): boolean {
  switch (node.kind) {
    case 'term':
      return false;
    case 'not':
      return !trueWithNoTerms(node.child);
    case 'and':
      for (const c of node.children) if (!trueWithNoTerms(c)) return false;
      return true;
    case 'or':
      for (const c of node.children) if (trueWithNoTerms(c)) return true;
      return false;
  }
}
