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

/**
 * The keys `indexKeys` found, in scratch arrays reused by every call (indexing is synchronous): the keys are
 * entries `[0, count)`. Adding 100,000 watches then allocates nothing here.
 */
export interface IndexKeys {
  readonly count: number;
  readonly tables: readonly IndexTable[];
  readonly keys: readonly string[];
  /** For the `word` table: the key's word id (see word-ids.ts), else -1. */
  readonly ids: readonly number[];
}

const found = { count: 0, tables: [] as IndexTable[], keys: [] as string[], ids: [] as number[] };

function push(table: IndexTable, key: string, id: number): void {
  const i = found.count++;
  found.tables[i] = table;
  found.keys[i] = key;
  found.ids[i] = id;
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

/** Pushes the key of a term; returns its cost. */
function termKeys(term: Term): number {
  // Feed titles, hosts, authors and categories repeat across items: a poor key unless nothing else is left.
  const fieldPenalty = term.fieldMask & (FIELD_BIT.title | FIELD_BIT.summary) ? 0 : 60;
  const first = term.words[0]!;
  if (term.mode === 'prefix' && !first.spaceless) {
    push('prefix', first.word, -1);
    return 20 + Math.max(0, 10 - first.word.length) * 4 + fieldPenalty;
  }
  const best = bestWord(term);
  if (best.spaceless) push('spaceless', String.fromCodePoint(best.word.codePointAt(0)!), -1);
  else push('word', best.word, best.id);
  return wordCost(best) + fieldPenalty;
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

/** Pushes the keys of a node and returns their cost, or returns -1 when it has none (pushing garbage). */
function nodeKeys(node: QueryNode): number {
  switch (node.kind) {
    case 'term':
      return termKeys(node.term);
    case 'not':
      return -1;
    case 'and': {
      // The cheapest child's keys, moved to where this node's keys start; the others' are dropped.
      const start = found.count;
      let best = -1;
      for (const c of node.children) {
        const from = found.count;
        const cost = nodeKeys(c);
        if (cost >= 0 && (best < 0 || cost < best)) {
          best = cost;
          if (from > start) moveDown(from, start);
          else found.count = start + (found.count - from);
        } else found.count = from;
      }
      if (best < 0) found.count = start;
      return best;
    }
    case 'or': {
      let cost = 0;
      for (const c of node.children) {
        const k = nodeKeys(c);
        if (k < 0) return -1;
        cost += k;
      }
      return cost;
    }
  }
}

/** Moves the keys from `from` to the end down to `to`. */
function moveDown(from: number, to: number): void {
  const { tables, keys, ids } = found;
  let j = to;
  for (let i = from; i < found.count; i++, j++) {
    tables[j] = tables[i]!;
    keys[j] = keys[i]!;
    ids[j] = ids[i]!;
  }
  found.count = j;
}

/**
 * Keys to index a query under (valid until the next call), or null when it must be checked against every
 * item.
 */
export function indexKeys(q: CompiledQuery): IndexKeys | null {
  found.count = 0;
  if (nodeKeys(q.root) < 0) return null;
  const { tables, keys, ids } = found;
  // Pairwise: an OR has few keys, and this builds no strings.
  let n = 1;
  for (let i = 1; i < found.count; i++) {
    let seen = false;
    for (let j = 0; j < n && !seen; j++) seen = tables[j] === tables[i] && keys[j] === keys[i];
    if (seen) continue;
    tables[n] = tables[i]!;
    keys[n] = keys[i]!;
    ids[n++] = ids[i]!;
  }
  found.count = n;
  return found;
}
