/**
 * MinHash signatures: for a set of features, K minima of independent 32-bit hashes. The fraction of positions
 * where two signatures agree estimates the Jaccard similarity of the two sets, so items can be compared (and
 * indexed by bands, see lsh-index.ts) from a fixed 2·K bytes each, without keeping their text.
 *
 * Only the low 16 bits of each minimum are kept (b-bit minwise hashing, Li & König 2010): the index holds tens of
 * thousands of signatures, and 16 bits halve them. Two different minima agree on their low bits with probability
 * 2^-16, which raises an estimated similarity by (1 − J)·2^-16 ≤ 0.000015: nothing next to the threshold's 0.33
 * or the 1/128 step of the estimate itself. Signatures stored by earlier versions (full 32-bit minima) are read
 * back through signatureFromBytes, which keeps the same low bits, so they still match new ones.
 */
export const SIGNATURE_SIZE = 128;
/** Every value of a signature is at most this. */
export const SIGNATURE_VALUE_MASK = 0xffff;

/** murmur3's 32-bit finaliser: a cheap, well-mixing permutation of 32-bit integers. */
export function mix32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over UTF-16 code units. */
function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return mix32(h);
}

const SEEDS: readonly number[] = Array.from({ length: SIGNATURE_SIZE }, (_, i) =>
  mix32(0x9e3779b9 * (i + 1)),
);

/** The MinHash signature of a feature set; an empty set gives all-0xffff (similar to nothing but itself). */
export function minhash(features: readonly string[]): Uint32Array {
  const sig = new Uint32Array(SIGNATURE_SIZE).fill(0xffffffff);
  for (const f of features) {
    const base = hashString(f);
    for (let i = 0; i < SIGNATURE_SIZE; i++) {
      const h = mix32(base ^ (SEEDS[i] as number));
      if (h < (sig[i] as number)) sig[i] = h;
    }
  }
  for (let i = 0; i < SIGNATURE_SIZE; i++) sig[i] = (sig[i] as number) & SIGNATURE_VALUE_MASK;
  return sig;
}

/** Estimated Jaccard similarity of the sets behind two signatures (0–1). */
export function similarity(a: Uint32Array, b: Uint32Array): number {
  const n = Math.min(a.length, b.length);
  if (n === 0) return 0;
  let same = 0;
  for (let i = 0; i < n; i++) if (a[i] === b[i]) same++;
  return same / n;
}

/** Signature → bytes for storage: 2 bytes a value, little-endian (as typed arrays hold them on every platform Node
 * runs on). */
export function signatureToBytes(sig: Uint32Array): Uint8Array {
  return new Uint8Array(Uint16Array.from(sig).buffer);
}

/** Stored bytes → signature. Rows written before signatures had 16 bits hold 4 bytes a value: their low bits are
 * what minhash keeps now, so they still match new signatures of the same story. */
export function signatureFromBytes(bytes: Uint8Array): Uint32Array {
  const copy = new Uint8Array(bytes);
  if (copy.byteLength === SIGNATURE_SIZE * 4) {
    const wide = new Uint32Array(copy.buffer);
    return wide.map((v) => v & SIGNATURE_VALUE_MASK);
  }
  return Uint32Array.from(new Uint16Array(copy.buffer, 0, copy.byteLength >> 1));
}
