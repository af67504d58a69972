/**
 * MinHash signatures: for a set of features, K minima of independent 32-bit hashes. The fraction of positions
 * where two signatures agree estimates the Jaccard similarity of the two sets, so items can be compared (and
 * indexed by bands, see lsh-index.ts) from a fixed 4·K bytes each, without keeping their text.
 */
export const SIGNATURE_SIZE = 128;

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

/** The MinHash signature of a feature set; an empty set gives all-0xffffffff (similar to nothing but itself). */
export function minhash(features: readonly string[]): Uint32Array {
  const sig = new Uint32Array(SIGNATURE_SIZE).fill(0xffffffff);
  for (const f of features) {
    const base = hashString(f);
    for (let i = 0; i < SIGNATURE_SIZE; i++) {
      const h = mix32(base ^ (SEEDS[i] as number));
      if (h < (sig[i] as number)) sig[i] = h;
    }
  }
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

/** Signature ↔ bytes for storage (little-endian, as Uint32Array holds it on every platform Node runs on). */
export function signatureToBytes(sig: Uint32Array): Uint8Array {
  return new Uint8Array(sig.buffer.slice(sig.byteOffset, sig.byteOffset + sig.byteLength));
}

export function signatureFromBytes(bytes: Uint8Array): Uint32Array {
  const copy = new Uint8Array(bytes);
  return new Uint32Array(copy.buffer, 0, Math.floor(copy.byteLength / 4));
}
