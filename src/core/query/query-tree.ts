import type { QueryNode } from './ast.js';

/** Shared `positiveTerms` lists `[0, 1, .. n)` (most queries, and those with NOT whose negated terms come last). */
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

/**
 * The indexes of the terms under an even number of NOTs (CompiledQuery.positiveTerms). `mayHaveNot` false
 * (the parser made no NOT node) spares the walk.
 */
export function positiveTermsOf(root: QueryNode, termCount: number, mayHaveNot = true): readonly number[] {
  let count = termCount;
  if (mayHaveNot && hasNot(root)) {
    const positive = positiveTermIndexes(root, false, []);
    // Terms are numbered in query order: "Korea -Japan" has the positive terms of a one-term query.
    let prefix = true;
    for (let i = 0; prefix && i < positive.length; i++) prefix = positive[i] === i;
    if (!prefix) return positive.slice();
    count = positive.length;
  }
  let shared = ALL_POSITIVE[count];
  if (shared === undefined) {
    shared = ALL_POSITIVE[count] = Object.freeze(Array.from({ length: count }, (_, i) => i));
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
