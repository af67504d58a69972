import { FIELD_BIT } from './ast.js';
import type { CompiledQuery, QueryNode, QueryWord, Term } from './ast.js';

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
}

// Words so common in news that indexing a watch under them would make it a candidate for most items.
const COMMON = new Set(
  (
    'a an and are as at be been but by for from had has have he her his in is it its new not of on or over ' +
    'said says that the their they this to up was were will with after about more than over who what when ' +
    'year years people government us uk state news report one two three first last week day time'
  ).split(' '),
);

/** Guessed relative frequency of a key in news text: lower is rarer, better to index under. */
function wordCost(w: QueryWord): number {
  if (w.spaceless) return 40;
  if (COMMON.has(w.word)) return 100;
  return Math.max(1, 14 - w.word.length);
}

function termKeys(term: Term): { keys: IndexKey[]; cost: number } {
  // Feed titles, hosts, authors and categories repeat across items: a poor key unless nothing else is left.
  const fieldPenalty = term.fieldMask & (FIELD_BIT.title | FIELD_BIT.summary) ? 0 : 60;
  const first = term.words[0]!;
  if (term.mode === 'prefix' && !first.spaceless) {
    const cost = 20 + Math.max(0, 10 - first.word.length) * 4;
    return { keys: [{ table: 'prefix', key: first.word }], cost: cost + fieldPenalty };
  }
  const best = bestWord(term);
  const key: IndexKey = best.spaceless
    ? { table: 'spaceless', key: String.fromCodePoint(best.word.codePointAt(0)!) }
    : { table: 'word', key: best.word };
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
        keys.push(...k.keys);
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
    if (!out.some((y) => y.table === x.table && y.key === x.key)) out.push(x);
  }
  return out;
}
