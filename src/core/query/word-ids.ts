import { HashedWordMap } from './hashed-word-map.js';
import { wordHash } from './word-filter.js';
import { grownToHold } from './typed-growth.js';

/**
 * Every distinct normalised query word compiled in this process, numbered from 0. The parser numbers each
 * query word once (QueryWord.id), so the index's tables keyed by query words are arrays indexed by the
 * number: adding 100,000 watches then hashes no word again, and a text word is looked up here once to reach
 * all of them. Numbers never change (a watch may hold one for as long as the process runs), so the table
 * only grows: its words come from watches, which people write, not from the texts matched.
 */
const ids = new HashedWordMap();

/** The number of the query word `word` (whose wordHash is `h`), given on first sight. */
export function wordId(word: string, h = wordHash(word)): number {
  let id = ids.get(word, h, -1);
  if (id < 0) {
    id = ids.size;
    ids.set(word, h, id);
  }
  return id;
}

/** The number of `word` if some query has used it, else -1. */
export function knownWordId(word: string): number {
  return ids.get(word, wordHash(word), -1);
}

/** Ids are below this. */
export function wordIdCount(): number {
  return ids.size;
}

/** `table` (indexed by word id, 0 for none) grown to hold `id`: the same array if it is long enough. */
export function withRoomFor(table: Int32Array<ArrayBuffer>, id: number): Int32Array<ArrayBuffer> {
  // Sized for every word known so far, so tables indexed by word id grow a few times, not once per new word.
  return id < table.length ? table : grownToHold(table, Math.max(id, wordIdCount() - 1));
}
