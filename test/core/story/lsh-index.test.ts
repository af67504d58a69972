import { describe, expect, it } from 'vitest';
import { LshIndex, mix32, similarity, type LshShape } from '../../../src/core/story/index.js';

/** Deterministic PRNG so a failure reproduces. */
function prng(seed: number): () => number {
  let state = seed;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x100000000;
  };
}

/** The bucket key of a band, as the index documents it: the band number, then its rows, through mix32. */
function bandKey(sig: Uint32Array, band: number, rows: number): number {
  let h = mix32(band + 0x51ed270b);
  for (let r = 0; r < rows; r++) h = mix32(h ^ (sig[band * rows + r] as number));
  return h & 0x3fffffff;
}

interface RefEntry {
  key: string;
  sig: Uint32Array;
  bandKeys: number[];
  seq: number;
}

/**
 * The index's contract, by brute force: an entry is a candidate when it shares a whole band with the query; each
 * key comes once with the best similarity of its entries, best first, ties in the order a scan of the bands in turn
 * (each bucket oldest entry first) meets the keys.
 */
class ReferenceIndex {
  private readonly entries = new Map<number, RefEntry>();
  private seq = 0;

  constructor(private readonly shape: LshShape) {}

  get size(): number {
    return this.entries.size;
  }

  add(id: number, key: string, sig: Uint32Array): void {
    this.entries.delete(id);
    const bandKeys = Array.from({ length: this.shape.bands }, (_, b) => bandKey(sig, b, this.shape.rows));
    this.entries.set(id, { key, sig, bandKeys, seq: this.seq++ });
  }

  remove(id: number): boolean {
    return this.entries.delete(id);
  }

  query(sig: Uint32Array, min: number): Array<{ key: string; similarity: number }> {
    const q = Array.from({ length: this.shape.bands }, (_, b) => bandKey(sig, b, this.shape.rows));
    const hits: Array<{ band: number; seq: number; key: string; s: number }> = [];
    for (const e of this.entries.values()) {
      const band = q.findIndex((bk, b) => e.bandKeys[b] === bk);
      const s = similarity(sig, e.sig);
      if (band >= 0 && s >= min) hits.push({ band, seq: e.seq, key: e.key, s });
    }
    hits.sort((a, b) => a.band - b.band || a.seq - b.seq);
    const best = new Map<string, number>();
    for (const h of hits) if (h.s > (best.get(h.key) ?? -1)) best.set(h.key, h.s);
    return [...best].map(([key, s]) => ({ key, similarity: s })).sort((a, b) => b.similarity - a.similarity);
  }
}

function randomSig(rand: () => number, length: number): Uint32Array {
  const sig = new Uint32Array(length);
  for (let i = 0; i < length; i++) sig[i] = Math.floor(rand() * 0x10000);
  return sig;
}

/** A near-duplicate: each hash replaced with probability `p` (so most bands survive when p is small). */
function perturb(rand: () => number, base: Uint32Array, p: number, length = base.length): Uint32Array {
  const sig = new Uint32Array(length);
  for (let i = 0; i < length; i++) {
    sig[i] = i < base.length && rand() >= p ? (base[i] as number) : Math.floor(rand() * 0x10000);
  }
  return sig;
}

function compareRandomWorkload(shape: LshShape, sigLength: number, seed: number, ops: number): number {
  const rand = prng(seed);
  const index = new LshIndex<string>(shape);
  const ref = new ReferenceIndex(shape);
  const bases = Array.from({ length: 60 }, () => randomSig(rand, sigLength));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const live: number[] = [];
  let nextId = 1;
  let nonEmpty = 0;
  const sigFor = (): Uint32Array => {
    const r = rand();
    if (r < 0.15) return pick(bases); // exact duplicates: ties between keys
    if (r < 0.7) return perturb(rand, pick(bases), rand() * 0.6);
    // Now and then a signature of another length than the rest (longer or shorter, still enough for the bands).
    if (r < 0.75) return perturb(rand, pick(bases), 0.2, shape.bands * shape.rows + Math.floor(rand() * 8));
    return randomSig(rand, sigLength);
  };
  for (let op = 0; op < ops; op++) {
    const r = rand();
    if (r < 0.55 || live.length === 0) {
      const id = nextId++;
      const key = `k${Math.floor(rand() * 400)}`;
      const sig = sigFor();
      index.add(id, key, sig);
      ref.add(id, key, sig);
      live.push(id);
    } else if (r < 0.7) {
      // Replace an entry: same id, new key and signature.
      const id = pick(live);
      const key = `k${Math.floor(rand() * 400)}`;
      const sig = sigFor();
      index.add(id, key, sig);
      ref.add(id, key, sig);
    } else if (r < 0.85) {
      const at = Math.floor(rand() * live.length);
      const id = live[at] as number;
      live.splice(at, 1);
      expect(index.remove(id)).toBe(ref.remove(id));
    } else {
      expect(index.remove(nextId + 1000)).toBe(false);
    }
    if (op % 4 === 0) {
      // Mostly near-duplicates of the planted signatures; some unrelated, some of another length (even too short
      // to fill every band: the look-up still answers, comparing over the shorter length).
      const length = pick([sigLength, sigLength, sigLength, shape.bands * shape.rows + 3, 16]);
      const query =
        rand() < 0.8 ? perturb(rand, pick(bases), rand() * 0.7, length) : randomSig(rand, sigLength);
      const min = pick([0, 0.2, 0.33, 0.5, 0.9]);
      const expected = ref.query(query, min);
      expect(index.query(query, min)).toEqual(expected);
      if (expected.length > 0) nonEmpty++;
    }
    expect(index.size).toBe(ref.size);
  }
  return nonEmpty;
}

describe('LshIndex against a brute-force reference', () => {
  it('returns the same candidates, similarities and order through adds, replacements and removals', () => {
    // Enough entries to grow the band tables several times; planted near-duplicates make long probe runs.
    const nonEmpty = compareRandomWorkload({ bands: 42, rows: 3 }, 128, 0x1234567, 6000);
    expect(nonEmpty).toBeGreaterThan(500);
  });

  it('agrees for another shape, including signatures longer than the default', () => {
    compareRandomWorkload({ bands: 20, rows: 2 }, 40, 0x9e3779b, 3000);
    compareRandomWorkload({ bands: 50, rows: 3 }, 160, 0x51ed27, 3000);
  });

  it('empties completely and is reusable after removing everything', () => {
    const rand = prng(7);
    const index = new LshIndex<string>();
    const sigs = Array.from({ length: 2000 }, () => randomSig(rand, 128));
    sigs.forEach((sig, i) => index.add(i, `k${i}`, sig));
    sigs.forEach((_, i) => expect(index.remove(i)).toBe(true));
    expect(index.size).toBe(0);
    for (const sig of sigs.slice(0, 50)) expect(index.query(sig, 0)).toEqual([]);
    index.add(1, 'again', sigs[0] as Uint32Array);
    expect(index.query(sigs[0] as Uint32Array, 0.5)).toEqual([{ key: 'again', similarity: 1 }]);
  });
});
