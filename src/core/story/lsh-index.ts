import { mix32, similarity } from './minhash.js';

export interface LshShape {
  /** Bands × rows must not exceed the signature length. */
  bands: number;
  rows: number;
}

/**
 * 42 bands of 3 rows over a 128-hash signature: two items whose sets have Jaccard similarity 0.4 share a band with
 * probability ≈ 0.94 (0.97 at 0.45), while unrelated news (≈ 0.05) collides in 0.5 % of cases, so a look-up
 * touches a few hundred of 50,000 stories instead of all of them.
 */
export const DEFAULT_SHAPE: LshShape = { bands: 42, rows: 3 };

interface Entry<K> {
  key: K;
  sig: Uint32Array;
  bandKeys: number[];
}

export interface LshCandidate<K> {
  key: K;
  similarity: number;
}

/**
 * Locality-sensitive hashing over MinHash signatures: each signature is cut into bands, and entries sharing any
 * whole band are candidates. Several entries may carry the same key (every item of a story points to the story), so
 * a look-up returns each key once, with the best similarity of its entries. Entries are removed by their id.
 */
export class LshIndex<K> {
  private readonly buckets: Array<Map<number, number[]>>;
  private readonly entries = new Map<number, Entry<K>>();

  constructor(private readonly shape: LshShape = DEFAULT_SHAPE) {
    this.buckets = Array.from({ length: shape.bands }, () => new Map<number, number[]>());
  }

  get size(): number {
    return this.entries.size;
  }

  add(entryId: number, key: K, sig: Uint32Array): void {
    if (sig.length < this.shape.bands * this.shape.rows) {
      throw new Error(
        `signature of ${sig.length} hashes is too short for ${this.shape.bands}×${this.shape.rows}`,
      );
    }
    this.remove(entryId);
    const bandKeys = this.bandKeys(sig);
    this.entries.set(entryId, { key, sig, bandKeys });
    bandKeys.forEach((bk, band) => {
      const bucket = this.buckets[band] as Map<number, number[]>;
      const list = bucket.get(bk);
      if (list) list.push(entryId);
      else bucket.set(bk, [entryId]);
    });
  }

  remove(entryId: number): boolean {
    const entry = this.entries.get(entryId);
    if (!entry) return false;
    this.entries.delete(entryId);
    entry.bandKeys.forEach((bk, band) => {
      const bucket = this.buckets[band] as Map<number, number[]>;
      const list = bucket.get(bk);
      if (!list) return;
      const at = list.indexOf(entryId);
      if (at >= 0) list.splice(at, 1);
      if (list.length === 0) bucket.delete(bk);
    });
    return true;
  }

  /** Keys whose entries share a band with `sig` and reach `minSimilarity`, best first. */
  query(sig: Uint32Array, minSimilarity: number): Array<LshCandidate<K>> {
    const seen = new Set<number>();
    const best = new Map<K, number>();
    this.bandKeys(sig).forEach((bk, band) => {
      const list = (this.buckets[band] as Map<number, number[]>).get(bk);
      if (!list) return;
      for (const id of list) {
        if (seen.has(id)) continue;
        seen.add(id);
        const entry = this.entries.get(id);
        if (!entry) continue;
        const s = similarity(sig, entry.sig);
        if (s >= minSimilarity && s > (best.get(entry.key) ?? -1)) best.set(entry.key, s);
      }
    });
    return [...best.entries()]
      .map(([key, s]) => ({ key, similarity: s }))
      .sort((a, b) => b.similarity - a.similarity);
  }

  private bandKeys(sig: Uint32Array): number[] {
    const { bands, rows } = this.shape;
    const out: number[] = new Array<number>(bands);
    for (let b = 0; b < bands; b++) {
      // The band number is mixed in so that equal values in different bands never share a bucket key by accident.
      let h = mix32(b + 0x51ed270b);
      for (let r = 0; r < rows; r++) h = mix32(h ^ (sig[b * rows + r] as number));
      out[b] = h;
    }
    return out;
  }
}
