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

/** Length of the keys of the prefix table: the shortest prefix a query may have. */
export const PREFIX_KEY_LENGTH = 3;

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
  if (term.mode === 'prefix' && !term.words[0]!.spaceless) {
    const p = term.words[0]!.word;
    return {
      keys: [{ table: 'prefix', key: p.slice(0, PREFIX_KEY_LENGTH) }],
      cost: 20 + Math.max(0, 10 - p.length) * 4,
    };
  }
  let best = term.words[0]!;
  for (const w of term.words) if (wordCost(w) < wordCost(best)) best = w;
  if (best.spaceless) {
    return {
      keys: [{ table: 'spaceless', key: String.fromCodePoint(best.word.codePointAt(0)!) }],
      cost: wordCost(best),
    };
  }
  return { keys: [{ table: 'word', key: best.word }], cost: wordCost(best) };
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
  const seen = new Set<string>();
  return k.keys.filter((x) => !seen.has(`${x.table}:${x.key}`) && !!seen.add(`${x.table}:${x.key}`));
}
