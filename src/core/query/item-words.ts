import type { Segment } from './item-view.js';
import { wordHash } from './word-filter.js';

/** Occurrences are encoded as segment * SEG_STRIDE + token position: one number, no allocation. */
export const SEG_STRIDE = 1 << 20;
/** Very long texts would overflow the position part of the encoding: segments past this are not searched. */
export const MAX_SEGS = Math.floor(Number.MAX_SAFE_INTEGER / SEG_STRIDE);

const MIN_TABLE = 64;

/**
 * The distinct words of one item (normalised, spaceless-script tokens aside) with their occurrences, in flat
 * arrays: an open-addressing table keyed by the same 32-bit hash the index's word filter and memo use, so
 * each token is hashed once and every later look-up is a probe of a small, cache-resident table instead
 * of a Map keyed by fresh strings. The arrays are reused from item to item by whoever owns the table.
 *
 * Distinct words are numbered in order of first occurrence; each word's occurrences form a list in
 * reading order (`firsts[d]`, then `nexts[o]` until -1). An occurrence is numbered by token:
 * `bases[s] + p` for token `p` of segment `s` (spaceless-script tokens have a number but no word).
 */
export class ItemWords {
  /** Number of distinct words. */
  count = 0;
  readonly words: string[] = [];
  hashes = new Int32Array(MIN_TABLE);
  firsts = new Int32Array(MIN_TABLE);
  private lasts = new Int32Array(MIN_TABLE);
  /** By distinct word: a number the owner of the table may set (the engine: the word's id in FlatVerifier). */
  marks = new Int32Array(MIN_TABLE);
  /** By occurrence: code (segment * SEG_STRIDE + position), segment, position, next occurrence or -1, word. */
  codes = new Float64Array(MIN_TABLE);
  segOf = new Int32Array(MIN_TABLE);
  posOf = new Int32Array(MIN_TABLE);
  nexts = new Int32Array(MIN_TABLE);
  wordOf = new Int32Array(MIN_TABLE);
  /** By segment: number of its first token, number of tokens searched. */
  bases = new Int32Array(8);
  lengths = new Int32Array(8);
  /** False when some tokens are not in the table (more than MAX_SEGS segments or SEG_STRIDE tokens in one). */
  complete = true;
  /** Segment indexes that hold spaceless-script tokens. */
  readonly spacelessSegs: number[] = [];
  /** Table slot → distinct word + 1 (0: empty). */
  private table = new Int32Array(2 * MIN_TABLE);
  private mask = 2 * MIN_TABLE - 1;

  /** Replaces the table's content with the words of `segs`. */
  fill(segs: readonly Segment[]): void {
    const nsegs = Math.min(segs.length, MAX_SEGS);
    this.complete = nsegs === segs.length;
    if (nsegs > this.bases.length) {
      this.bases = new Int32Array(Math.max(nsegs, 2 * this.bases.length));
      this.lengths = new Int32Array(this.bases.length);
    }
    let total = 0;
    for (let s = 0; s < nsegs; s++) {
      const n = segs[s]!.tokens.length;
      if (n > SEG_STRIDE) this.complete = false;
      this.bases[s] = total;
      this.lengths[s] = Math.min(n, SEG_STRIDE);
      total += this.lengths[s]!;
    }
    this.reserve(total);
    this.count = 0;
    if (this.spacelessSegs.length > 0) this.spacelessSegs.length = 0;
    const table = this.table;
    const mask = this.mask;
    const words = this.words;
    const hashes = this.hashes;
    for (let s = 0; s < nsegs; s++) {
      const toks = segs[s]!.tokens;
      const n = Math.min(toks.length, SEG_STRIDE);
      let spaceless = false;
      for (let p = 0; p < n; p++) {
        const t = toks[p]!;
        const o = this.bases[s]! + p;
        if (t.spaceless) {
          spaceless = true;
          this.wordOf[o] = -1;
          continue;
        }
        const w = t.word;
        const h = wordHash(w);
        let i = h & mask;
        let d = table[i]! - 1;
        while (d >= 0 && (hashes[d] !== h || words[d] !== w)) {
          i = (i + 1) & mask;
          d = table[i]! - 1;
        }
        this.codes[o] = s * SEG_STRIDE + p;
        this.segOf[o] = s;
        this.posOf[o] = p;
        this.nexts[o] = -1;
        if (d < 0) {
          d = this.count++;
          table[i] = d + 1;
          words[d] = w;
          hashes[d] = h;
          this.marks[d] = -1;
          this.firsts[d] = o;
        } else this.nexts[this.lasts[d]!] = o;
        this.lasts[d] = o;
        this.wordOf[o] = d;
      }
      if (spaceless) this.spacelessSegs.push(s);
    }
  }

  /** The distinct-word number of `w` (whose wordHash is `h`), or -1. */
  find(w: string, h: number = wordHash(w)): number {
    const mask = this.mask;
    let i = h & mask;
    for (let d = this.table[i]! - 1; d >= 0; d = this.table[i]! - 1) {
      if (this.hashes[d] === h && this.words[d] === w) return d;
      i = (i + 1) & mask;
    }
    return -1;
  }

  /** Room for `n` tokens, and an empty table at most half full. */
  private reserve(n: number): void {
    if (n > this.codes.length) {
      const cap = Math.max(n, this.codes.length * 2);
      this.hashes = new Int32Array(cap);
      this.firsts = new Int32Array(cap);
      this.marks = new Int32Array(cap);
      this.wordOf = new Int32Array(cap);
      this.lasts = new Int32Array(cap);
      this.codes = new Float64Array(cap);
      this.segOf = new Int32Array(cap);
      this.posOf = new Int32Array(cap);
      this.nexts = new Int32Array(cap);
    }
    let size = 2 * MIN_TABLE;
    while (size < 2 * n) size *= 2;
    if (size > this.table.length) this.table = new Int32Array(size);
    else this.table.fill(0, 0, size);
    this.mask = size - 1;
  }
}
