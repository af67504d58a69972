import type { CompiledQuery, QueryNode, QueryWord, Term } from './ast.js';

/*
 * What the parser keeps, made by constructors rather than object literals. V8 tracks where literals are
 * allocated and, at the first garbage collection that finds most of a site's objects alive, starts allocating
 * them in the old generation: a sound decision, but one that throws away the optimised code of every function
 * that inlined the site. For literals in the parser that is all of it, compiled a second time while the first
 * 100,000 watches are (tens of milliseconds of a cold start).
 */

export class CompiledQueryObject implements CompiledQuery {
  constructor(
    readonly source: string,
    readonly root: QueryNode,
    readonly terms: readonly Term[],
    readonly positiveTerms: readonly number[],
  ) {}
}

/** An AND or OR node. */
class GroupNode {
  constructor(
    readonly kind: 'and' | 'or',
    readonly children: readonly QueryNode[],
  ) {}
}

export function groupNode(kind: 'and' | 'or', children: readonly QueryNode[]): QueryNode {
  return new GroupNode(kind, children) as QueryNode;
}

class NotNode {
  readonly kind = 'not';
  constructor(readonly child: QueryNode) {}
}

export function notNode(child: QueryNode): QueryNode {
  return new NotNode(child);
}

export class PlainQueryWord implements QueryWord {
  constructor(
    readonly word: string,
    readonly exact: string,
    readonly spaceless: boolean,
    readonly id: number,
  ) {}
}

const one: unknown[] = [undefined];

/** `[x]`, copied from a scratch list rather than made by an array literal (see above). */
export function listOfOne<T>(x: T): readonly [T] {
  one[0] = x;
  const list = one.slice() as [T];
  one[0] = undefined;
  return list;
}
