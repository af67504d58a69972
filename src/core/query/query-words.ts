import { tokenize } from '../text/index.js';
import type { QueryWord } from './ast.js';
import type { CompiledTerm } from './compiled-term.js';
import { HashedWordMap } from './hashed-word-map.js';
import { listOfOne, PlainQueryWord } from './query-nodes.js';
import { wordId } from './word-ids.js';
import { asciiLower, FNV_PRIME, FNV_SEED, isAsciiAlnum } from './word-filter.js';
import { grownToHold } from './typed-growth.js';

/** Whether `s` is ASCII letters and digits in runs separated by single spaces (what most query words are). */
function isPlainAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!isAsciiAlnum(c) && (c !== 32 || i === 0 || i === s.length - 1 || s.charCodeAt(i - 1) === 32))
      return false;
  }
  return s.length > 0;
}

/**
 * The one-word list of each plain ASCII word as written, shared by every term of that word (the lists and
 * their words are never mutated): a compiled query lives as long as its watch, and watches repeat words, so
 * 100,000 watches keep far fewer objects (and the garbage collector copies far fewer while they are built),
 * and each word is numbered (word-ids.ts) once here instead of being looked up again by every table of the
 * index. Cleared when full: a long-running process meets new words forever, and forgetting only costs sharing.
 */
const plainWords = new HashedWordMap();
type Entry = QueryWord | readonly QueryWord[] | readonly CompiledTerm[] | CompiledTerm | undefined;
/**
 * By the value `plainWords` holds (`entry(at, field)`), four entries side by side (one cache miss reads them
 * all): 0, the word; 1, its one-word list (made when a term of it is); 2, the `[term]` of 3 (made when a
 * query of that term alone needs it); 3, one term of the word, the first compiled with the list, shared by
 * every later term with the same packed fields (terms are immutable, and the first term of most queries, as
 * in "Korea", "Korea AND Japan" or "Ukrain*", differs from query to query only by its word).
 *
 * In chunks of CHUNK words, each made at its full size: one list of some 250,000 entries grown by pushing
 * would be copied over and over while 100,000 watches are added, each copy fresh memory to fault in.
 */
const plainChunks: Entry[][] = [];
const CHUNK_BITS = 10;
const CHUNK = 1 << CHUNK_BITS;
let plainCount = 0;

function entry(at: number, field: number): Entry {
  return plainChunks[at >> CHUNK_BITS]![4 * (at & (CHUNK - 1)) + field];
}

function setEntry(at: number, field: number, value: Entry): void {
  plainChunks[at >> CHUNK_BITS]![4 * (at & (CHUNK - 1)) + field] = value;
}

/**
 * By the value `plainWords` holds: the packed fields (see CompiledTerm) of the shared term, as `a + 1, b`
 * (0: none). Compared here, in numbers side by side, not in the term: one cache miss, not three.
 */
let sharedKeys = new Int32Array(2048);
const PLAIN_WORDS_MAX = 100_000;
/** What `plainWord` or `plainWordAt` last found, as its value in `plainWords` (-1: a phrase or other words). */
let lastPlain = -1;
let lastExact = '';

/** The word `plainWordAt` last returned, as written: its QueryWord's `exact`, read without the QueryWord. */
export function plainExact(): string {
  return lastExact;
}

/** The value in `plainWords` of a plain ASCII word without spaces (added if new). */
function plainWord(exact: string): number {
  // The word's hash and its lower-case form's, in one pass (wordHash's FNV-1a): no string is built to look up.
  let h = FNV_SEED;
  let lowerHash = FNV_SEED;
  let upper = false;
  for (let i = 0; i < exact.length; i++) {
    const c = exact.charCodeAt(i);
    h = Math.imul(h ^ c, FNV_PRIME);
    const lower = asciiLower(c);
    if (lower !== c) upper = true;
    lowerHash = Math.imul(lowerHash ^ lower, FNV_PRIME);
  }
  const at = plainWords.get(exact, h, -1);
  return at >= 0 ? at : addPlainWord(exact, h, lowerHash, upper);
}

/**
 * The one-word list of the plain word `query[from, to)` (ASCII letters and digits, hashed by the lexer: see
 * PlainWord), made a string only when it is new.
 */
export function plainWordAt(
  query: string,
  from: number,
  to: number,
  h: number,
  lowerHash: number,
  upper: boolean,
): readonly QueryWord[] {
  let at = plainWords.getAt(query, from, to, h, -1);
  if (at >= 0) lastExact = plainWords.foundKey;
  else at = addPlainWord((lastExact = query.slice(from, to)), h, lowerHash, upper);
  lastPlain = at;
  return listOf(at);
}

function addPlainWord(exact: string, h: number, lowerHash: number, upper: boolean): number {
  if (plainWords.size >= PLAIN_WORDS_MAX) {
    plainWords.clear();
    plainChunks.length = 0;
    plainCount = 0;
    sharedKeys.fill(0);
  }
  // One string for both forms when the word is already lower case.
  const word = upper ? exact.toLowerCase() : exact;
  const added = plainCount++;
  if ((added & (CHUNK - 1)) === 0) plainChunks.push(new Array<Entry>(4 * CHUNK));
  setEntry(added, 0, new PlainQueryWord(word, exact, false, wordId(word, lowerHash)));
  sharedKeys = grownToHold(sharedKeys, 2 * added + 1);
  plainWords.set(exact, h, added);
  return added;
}

/** The one-word list of the word `at` in `plainWords`, made on first need. */
function listOf(at: number): readonly QueryWord[] {
  let list = entry(at, 1) as readonly QueryWord[] | undefined;
  if (list === undefined) setEntry(at, 1, (list = listOfOne(entry(at, 0) as QueryWord)));
  return list;
}

/**
 * The normalised words of a term: what `tokenize` gives, without its offsets. Plain ASCII words (nearly all
 * query words) need none of the tokenizer's decoding and folding, so they skip it.
 */
export function queryWords(source: string): readonly QueryWord[] {
  if (isPlainAscii(source)) {
    if (source.indexOf(' ') < 0) {
      const at = (lastPlain = plainWord(source));
      return listOf(at);
    }
    const words = phraseWords(source);
    lastPlain = -1;
    return words;
  }
  lastPlain = -1;
  return tokenize(source).map((t) => ({
    word: t.word,
    exact: t.exact,
    spaceless: t.spaceless,
    id: wordId(t.word),
  }));
}

/** The words of a plain phrase (single spaces between words), in an exact-size list: it lives as its watch. */
function phraseWords(source: string): readonly QueryWord[] {
  let n = 1;
  for (let i = source.indexOf(' '); i >= 0; i = source.indexOf(' ', i + 1)) n++;
  const out = new Array<QueryWord>(n);
  let from = 0;
  for (let k = 0; k < n; k++) {
    const to = k === n - 1 ? source.length : source.indexOf(' ', from);
    out[k] = entry(plainWord(source.slice(from, to)), 0) as QueryWord;
    from = to + 1;
  }
  return out;
}

/**
 * The shared term of the words `queryWords` last returned, when they were a shared one-word list and the term
 * has the packed fields `a`, `b` (see CompiledTerm); else undefined. It is shared at `lastEntry()`.
 */
export function sharedTerm(a: number, b: number): CompiledTerm | undefined {
  if (lastPlain < 0 || sharedKeys[2 * lastPlain] !== a + 1 || sharedKeys[2 * lastPlain + 1] !== b)
    return undefined;
  return entry(lastPlain, 3) as CompiledTerm;
}

/**
 * Offers a term of the words `queryWords` last returned for sharing; returns where it is shared, or -1 when
 * another term of the words already is.
 */
export function offerTerm(term: CompiledTerm): number {
  if (lastPlain < 0 || sharedKeys[2 * lastPlain] !== 0) return -1;
  setEntry(lastPlain, 3, term);
  sharedKeys[2 * lastPlain] = term.packedA + 1;
  sharedKeys[2 * lastPlain + 1] = term.packedB;
  return lastPlain;
}

/** Where the term `sharedTerm` last found is shared. */
export function lastEntry(): number {
  return lastPlain;
}

/** The `[term]` of the term shared at `at`, made when a query of that one term first needs it. */
export function sharedList(at: number): readonly CompiledTerm[] {
  let list = entry(at, 2) as readonly CompiledTerm[] | undefined;
  if (list === undefined) {
    setEntry(at, 2, (list = listOfOne(entry(at, 3) as CompiledTerm)));
  }
  return list;
}

/** `[...s].length` without the array. */
export function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++, n++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
  }
  return n;
}
