import { FIELD_BIT } from './ast.js';
import type { CompiledQuery, QueryNode, QueryWord, Term } from './ast.js';
import { withRoomFor } from './word-ids.js';

/**
 * The presearcher (as in Lucene Monitor / Luwak): the index keys of a query are chosen so that any item
 * the query matches contains at least one of them. A term gives one key (its rarest word), an AND the
 * keys of its cheapest child, an OR the keys of all its children. A NOT gives none, so an OR with a
 * NOT child cannot be indexed; such queries go on the always-check list (null).
 */
export type IndexTable = 'word' | 'prefix' | 'spaceless';
export interface IndexKey {
  table: IndexTable;
  key: string;
  /** For the `word` table: the key's word id (see word-ids.ts), else -1. */
  id: number;
}

// Words so common in news that indexing a watch under them would make it a candidate for most items.
const COMMON = new Set(
  (
    'a an and are as at be been but by for from had has have he her his in is it its new not of on or over ' +
    'said says that the their they this to up was were will with after about more than over who what when ' +
    'year years people government us uk state news report one two three first last week day time'
  ).split(' '),
);

/** By word id (see word-ids.ts): 1 + wordCost of the word (0: not yet known). */
let costs = new Int32Array(1024);

/** Guessed relative frequency of a key in news text: lower is rarer, better to index under. */
function wordCost(w: QueryWord): number {
  // Known by id: most query words recur across watches, and this runs for each word of each watch added.
  const known = w.id < costs.length ? costs[w.id]! : 0;
  if (known > 0) return known - 1;
  let cost: number;
  if (w.spaceless) cost = 40;
  else if (COMMON.has(w.word)) cost = 100;
  else cost = Math.max(1, 14 - w.word.length);
  costs = withRoomFor(costs, w.id);
  costs[w.id] = cost + 1;
  return cost;
}

function termKeys(term: Term): { keys: IndexKey[]; cost: number } {
  // Feed titles, hosts, authors and categories repeat across items: a poor key unless nothing else is left.
  const fieldPenalty = term.fieldMask & (FIELD_BIT.title | FIELD_BIT.summary) ? 0 : 60;
  const first = term.words[0]!;
  if (term.mode === 'prefix' && !first.spaceless) {
    const cost = 20 + Math.max(0, 10 - first.word.length) * 4;
    return { keys: [{ table: 'prefix', key: first.word, id: -1 }], cost: cost + fieldPenalty };
  }
  const best = bestWord(term);
  const key: IndexKey = best.spaceless
    ? { table: 'spaceless', key: String.fromCodePoint(best.word.codePointAt(0)!), id: -1 }
    : { table: 'word', key: best.word, id: best.id };
  return { keys: [key], cost: wordCost(best) + fieldPenalty };
}

function bestWord(term: Term): QueryWord {
  const words = term.words;
  let best = words[0]!;
  if (words.length === 1) return best;
  let bestCost = wordCost(best);
  for (let i = 1; i < words.length; i++) {
    const cost = wordCost(words[i]!);
    if (cost < bestCost) {
      best = words[i]!;
      bestCost = cost;
    }
  }
  return best;
}

function nodeKeys(node: QueryNode): { keys: IndexKey[]; cost: number } | null {
  switch (node.kind) {
    case 'term':
      return termKeys(node.term);
    case 'not':
      return null;
    case 'and': {
      let best: { keys: IndexKey[]; cost: number } | null = null;
      for (const c of node.children) {
        const k = nodeKeys(c);
        if (k && (!best || k.cost < best.cost)) best = k;
      }
      return best;
    }
    case 'or': {
      const keys: IndexKey[] = [];
      let cost = 0;
      for (const c of node.children) {
        const k = nodeKeys(c);
        if (!k) return null;
        for (let i = 0; i < k.keys.length; i++) keys.push(k.keys[i]!);
        cost += k.cost;
      }
      return { keys, cost };
    }
  }
}

/** Keys to index a query under, or null when it must be checked against every item. */
export function indexKeys(q: CompiledQuery): IndexKey[] | null {
  const k = nodeKeys(q.root);
  if (!k) return null;
  if (k.keys.length === 1) return k.keys;
  // Pairwise: an OR has few keys, and this builds no strings.
  const out: IndexKey[] = [];
  for (const x of k.keys) {
    let seen = false;
    for (const y of out) if (y.table === x.table && y.key === x.key) seen = true;
    if (!seen) out.push(x);
  }
  return out;
}
