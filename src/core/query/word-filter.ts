/** Bits of the two filters: small enough to stay in the CPU caches, large enough for 100,000 watches. */
const WORD_BITS = 1 << 21;
const PREFIX_BITS = 1 << 18;

/** FNV-1a step: hashes are built one UTF-16 unit at a time, so a word's prefixes are hashed on the way. */
function step(h: number, c: number): number {
  return Math.imul(h ^ c, 0x01000193);
}
const SEED = 0x811c9dc5 | 0;
export const FNV_SEED = SEED;
export const FNV_PRIME = 0x01000193;

/** An ASCII letter or digit: what a plain query word is made of. */
export function isAsciiAlnum(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
}

/** The code `c` lower-cased if it is an ASCII capital: a plain word is hashed as written and lower-cased at once. */
export function asciiLower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/** The 32-bit hash of a word shared by the filter, the candidate memo, the item word tables and word ids. */
export function wordHash(w: string): number {
  let h = SEED;
  for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w.charCodeAt(i), 0x01000193);
  return h;
}

/** Second probe of a Bloom filter, from the same 32-bit hash (bits the first probe does not use). */
function mix(h: number): number {
  return Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) ^ (h >>> 13);
}

function setBit(bits: Int32Array, h: number, mask: number): void {
  const a = h & mask;
  const b = mix(h) & mask;
  bits[a >>> 5] = bits[a >>> 5]! | (1 << (a & 31));
  bits[b >>> 5] = bits[b >>> 5]! | (1 << (b & 31));
}

function hasBit(bits: Int32Array, h: number, mask: number): boolean {
  const a = h & mask;
  if ((bits[a >>> 5]! & (1 << (a & 31))) === 0) return false;
  const b = mix(h) & mask;
  return (bits[b >>> 5]! & (1 << (b & 31))) !== 0;
}

/**
 * A Bloom filter in front of the word → candidates memo: most words of an item (the common ones) make no
 * watch a candidate and need no look-up in the memo's large map, whose cache misses cost more than hashing
 * the word here. It holds every text word that can matter to some watch: index keys and the words of
 * required-word ids with their plural forms, and prefixes. It may answer yes for a word that does not
 * matter (then the memo answers), never no for one that does. Removing a watch leaves its bits set: that
 * only costs look-ups.
 */
export class WordFilter {
  private readonly words = new Int32Array(WORD_BITS >>> 5);
  private readonly prefixes = new Int32Array(PREFIX_BITS >>> 5);
  private minPrefix = Infinity;
  private maxPrefix = 0;

  /** A word as it is (an exact word). */
  addExact(w: string): void {
    this.addHash(wordHash(w));
  }

  /** A word and the text words that are simple plurals of it (as WatchPostings and RequiredWords look them up). */
  addStem(w: string): void {
    // The plurals are hashed on from the word's hash: no strings are built for them.
    const last = w.length - 1;
    if (last < 0) {
      for (const x of ['', 's', 'es']) this.addExact(x);
      return;
    }
    let h = SEED;
    for (let i = 0; i < last; i++) h = step(h, w.charCodeAt(i));
    if (w.charCodeAt(last) === 121) this.addHash(step(step(step(h, 105), 101), 115)); // y → ies
    h = step(h, w.charCodeAt(last));
    this.addHash(h);
    this.addHash(step(h, 115)); // +s
    this.addHash(step(step(h, 101), 115)); // +es
  }

  private addHash(h: number): void {
    setBit(this.words, h, WORD_BITS - 1);
  }

  addPrefix(p: string): void {
    setBit(this.prefixes, wordHash(p), PREFIX_BITS - 1);
    if (p.length < this.minPrefix) this.minPrefix = p.length;
    if (p.length > this.maxPrefix) this.maxPrefix = p.length;
  }

  /** False only when no watch can care about the text word `w`. */
  mayMatter(w: string): boolean {
    return this.mayMatterHashed(w, wordHash(w));
  }

  /** `mayMatter` for a word whose wordHash is known: only its prefixes are hashed. */
  mayMatterHashed(w: string, h: number): boolean {
    if (hasBit(this.words, h, WORD_BITS - 1)) return true;
    const lo = this.minPrefix;
    const hi = Math.min(w.length, this.maxPrefix);
    let p = SEED;
    for (let i = 0; i < hi; i++) {
      p = step(p, w.charCodeAt(i));
      if (i + 1 >= lo && hasBit(this.prefixes, p, PREFIX_BITS - 1)) return true;
    }
    return false;
  }
}
