import type { CompiledQuery, QueryNode, QueryWord, Term } from './ast.js';
import { isPlural } from './term-match.js';
import type { WordFilter } from './word-filter.js';
import { knownWordId, withRoomFor } from './word-ids.js';
import { grownLength, grownToHold } from './typed-growth.js';
import { ChunkedList } from './chunked-list.js';

export const AND = 1;
export const OR = 2;
export const NOT = 3;
export const TERM = 4;
/** Term kinds: a word with its simple plurals, one exact word, a phrase of exact words. */
export const WORD = 0;
const EXACT = 1;
export const PHRASE = 2;
/** How the filter has learnt a word (bits). */
const EXACT_WORD = 1;
const STEM = 2;

/**
 * The programs FlatVerifier runs: general watches made only of plain words and phrases (any case, not of a
 * spaceless script) under AND, OR and NOT, as numbers in one pool. Query words get integer ids.
 *
 * A slot's program, in `pool[starts[slot], ends[slot])`: `[n, offset of each positive term × n]`, then the
 * root node. A node is `[AND | OR, end, children...]`, `[NOT, end, child]` or
 * `[TERM, term index, field mask, text, kind, anchor, n, id × n]` (`text` indexes `texts`; `end` and
 * the offsets of positive terms are absolute and relative to the program's start respectively).
 */
export class FlatPrograms {
  pool = new Int32Array(4096);
  starts = new Int32Array(256);
  ends = new Int32Array(256);
  texts = new ChunkedList<string>();
  /** By word id (see word-ids.ts): 1 + the id here (0: none). Ids here are dense, for FlatVerifier's tables. */
  private idOf = new Int32Array(256);
  private idCount = 0;
  private used = 0;
  private garbage = 0;
  private learnt = new Uint8Array(256);
  /** Scratch for `set`: where each term's record was written. */
  private readonly termAt = new Int32Array(64);

  constructor(private readonly filter: WordFilter) {}

  /** Number of ids given so far (ids are below it). */
  get size(): number {
    return this.idCount;
  }

  /** Whether the watch in `slot` was taken (it can be verified here), replacing what the slot had. */
  set(slot: number, q: CompiledQuery, live: () => Iterable<number>): boolean {
    this.clear(slot);
    const tree = programSize(q.root);
    if (tree < 0) return false;
    this.ensureSlot(slot);
    const positive = q.positiveTerms;
    const size = 1 + positive.length + tree;
    if (this.used + size > this.pool.length) {
      if (this.garbage * 4 > this.used) this.compact(live(), size);
      if (this.used + size > this.pool.length) this.grow(size);
    }
    const start = this.used;
    this.pool[start] = positive.length;
    this.used += 1 + positive.length;
    this.write(q.root);
    const termAt = this.termAt;
    for (let i = 0; i < positive.length; i++) this.pool[start + 1 + i] = termAt[positive[i]!]! - start;
    this.starts[slot] = start;
    this.ends[slot] = this.used;
    return true;
  }

  /** Whether the watch in `slot` is verified here. */
  has(slot: number): boolean {
    return slot < this.starts.length && this.ends[slot]! > this.starts[slot]!;
  }

  clear(slot: number): void {
    if (slot >= this.starts.length) return;
    this.garbage += this.ends[slot]! - this.starts[slot]!;
    this.starts[slot] = this.ends[slot] = 0;
  }

  /** The ids an item word stands for, as pairs (id, 1 if it is the id's word itself, else 0). */
  idsOf(w: string): number[] {
    const out: number[] = [];
    const own = this.localId(w);
    if (own >= 0) out.push(own, 1);
    if (w.length > 1 && w.endsWith('s')) {
      for (const base of [w.slice(0, -1), w.slice(0, -2), `${w.slice(0, -3)}y`]) {
        const id = this.localId(base);
        // "eyes" is "ey" + es and "ey" with y → ies: the same base twice.
        if (id >= 0 && isPlural(base, w) && out[out.length - 2] !== id) out.push(id, 0);
      }
    }
    return out;
  }

  /** The id here of the word `w`, or -1. */
  private localId(w: string): number {
    const id = knownWordId(w);
    return id >= 0 && id < this.idOf.length ? this.idOf[id]! - 1 : -1;
  }

  /** Appends the program of `node`, noting where each term's record is in `termAt`. */
  private write(node: QueryNode): void {
    const pool = this.pool;
    if (node.kind === 'term') {
      const t = node.term;
      const kind = t.mode === 'word' ? WORD : t.mode === 'exact' ? EXACT : PHRASE;
      const at = (this.termAt[t.index] = this.used);
      pool[at] = TERM;
      pool[at + 1] = t.index;
      pool[at + 2] = t.fieldMask;
      pool[at + 3] = this.texts.push(t.text);
      pool[at + 4] = kind;
      pool[at + 5] = Math.max(0, t.anchor);
      pool[at + 6] = t.words.length;
      this.used += 7;
      for (const w of t.words) pool[this.used++] = this.intern(w, kind === WORD ? STEM : EXACT_WORD);
      return;
    }
    const at = this.used;
    pool[at] = node.kind === 'and' ? AND : node.kind === 'or' ? OR : NOT;
    this.used += 2;
    if (node.kind === 'not') this.write(node.child);
    else for (const c of node.children) this.write(c);
    pool[at + 1] = this.used;
  }

  /** The id of a query word; the filter learns it as an exact word or with its plurals (`how`). */
  private intern(q: QueryWord, how: number): number {
    const w = q.word;
    const idOf = (this.idOf = withRoomFor(this.idOf, q.id));
    let id = idOf[q.id]! - 1;
    if (id < 0) {
      id = this.idCount++;
      idOf[q.id] = id + 1;
      this.learnt = grownToHold(this.learnt, id);
    }
    // The filter hashes each word once for each way it is used (most query words recur across watches).
    if ((this.learnt[id]! & how) === 0) {
      this.learnt[id] = this.learnt[id]! | how;
      if (how === STEM) this.filter.addStem(w);
      else this.filter.addExact(w);
    }
    return id;
  }

  private ensureSlot(slot: number): void {
    this.starts = grownToHold(this.starts, slot);
    this.ends = grownToHold(this.ends, slot);
  }

  private grow(extra: number): void {
    const pool = new Int32Array(grownLength(this.pool.length, this.used + extra));
    pool.set(this.pool.subarray(0, this.used));
    this.pool = pool;
  }

  /** Copies the live slots' programs into a fresh pool (offsets inside a program are relative or rebased). */
  private compact(live: Iterable<number>, extra: number): void {
    const pool = new Int32Array(Math.max(4096, 2 * (this.used - this.garbage + extra)));
    const texts = new ChunkedList<string>();
    let used = 0;
    for (const slot of live) {
      if (slot >= this.starts.length || this.ends[slot] === this.starts[slot]) continue;
      const s = this.starts[slot]!;
      const e = this.ends[slot]!;
      pool.set(this.pool.subarray(s, e), used);
      rebase(pool, used + 1 + pool[used]!, used - s, this.texts, texts);
      this.starts[slot] = used;
      this.ends[slot] = used += e - s;
    }
    this.pool = pool;
    this.texts = texts;
    this.used = used;
    this.garbage = 0;
  }
}

/**
 * Moves the `end` offsets of the nodes from `at` by `delta` (a program copied elsewhere in the pool), and
 * their texts from `from` to `to`.
 */
function rebase(
  pool: Int32Array,
  at: number,
  delta: number,
  from: ChunkedList<string>,
  to: ChunkedList<string>,
): number {
  if (pool[at] === TERM) {
    pool[at + 3] = to.push(from.get(pool[at + 3]!)!);
    return at + 7 + pool[at + 6]!;
  }
  const end = (pool[at + 1] = pool[at + 1]! + delta);
  for (let c = at + 2; c < end;) c = rebase(pool, c, delta, from, to);
  return end;
}

/** Size of the program of `node`, or -1 when some term of it cannot be verified here. */
function programSize(node: QueryNode): number {
  if (node.kind === 'term') return flatTerm(node.term) ? 7 + node.term.words.length : -1;
  if (node.kind === 'not') {
    const child = programSize(node.child);
    return child < 0 ? -1 : 2 + child;
  }
  let size = 2;
  for (const c of node.children) {
    const child = programSize(c);
    if (child < 0) return -1;
    size += child;
  }
  return size;
}

function flatTerm(t: Term): boolean {
  if (t.caseSensitive) return false;
  const mode = t.mode;
  if (mode === 'phrase') {
    for (const w of t.words) if (w.spaceless) return false;
    return true;
  }
  return (mode === 'word' || mode === 'exact') && t.lookup && t.words.length === 1;
}
