import { BandTables } from './band-tables.js';
import { SIGNATURE_SIZE, SIGNATURE_VALUE_MASK } from './minhash.js';
import { SignatureSlots } from './signature-slots.js';

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

export interface LshCandidate<K> {
  key: K;
  similarity: number;
}

/** An entry that shares a band with a look-up's signature and reaches its threshold. */
interface Hit {
  slot: number;
  /** The first band the entry shares with the look-up. */
  band: number;
  similarity: number;
}

/**
 * Locality-sensitive hashing over MinHash signatures: each signature is cut into bands, and entries sharing any
 * whole band are candidates. Several entries may carry the same key (every item of a story points to the story), so
 * a look-up returns each key once, with the best similarity of its entries. Entries are removed by their id.
 *
 * Memory is what 50,000 stories of a busy instance live in, so an entry is a slot number: its signature sits in a
 * pooled typed array (SignatureSlots) and its bucket in each band is a 4-byte cell of an open-addressing table
 * (BandTables), about 0.6 KB in all instead of a Uint32Array object and 42 Map entries (about 3 KB).
 */
export class LshIndex<K> {
  private readonly slots: SignatureSlots;
  private readonly tables: BandTables;
  /** Entry key by slot (undefined for free slots). */
  private readonly keys: Array<K | undefined> = [];
  private readonly slotOf = new Map<number, number>();
  /** Reused by look-ups: the slots a band's probe turned up. */
  private readonly probe: number[] = [];

  constructor(private readonly shape: LshShape = DEFAULT_SHAPE) {
    this.slots = new SignatureSlots(
      Math.max(SIGNATURE_SIZE, shape.bands * shape.rows),
      shape.bands,
      shape.rows,
    );
    this.tables = new BandTables(shape.bands, this.slots);
  }

  get size(): number {
    return this.slotOf.size;
  }

  add(entryId: number, key: K, sig: Uint32Array): void {
    if (sig.length < this.shape.bands * this.shape.rows) {
      throw new Error(
        `signature of ${sig.length} hashes is too short for ${this.shape.bands}×${this.shape.rows}`,
      );
    }
    // A wider value would be stored cut to 16 bits, but not cut in a look-up's band keys: never found again.
    for (let i = 0; i < sig.length; i++) {
      if ((sig[i] as number) > SIGNATURE_VALUE_MASK)
        throw new Error(`signature value ${sig[i]} exceeds 16 bits`);
    }
    this.remove(entryId);
    // Grow before taking a slot: the tables rely on every slot number staying below their load limit.
    this.tables.reserve(this.slotOf.size + 1);
    const slot = this.slots.alloc();
    this.slots.set(slot, sig);
    this.keys[slot] = key;
    this.slotOf.set(entryId, slot);
    for (let band = 0; band < this.shape.bands; band++) {
      this.tables.insert(band, this.slots.bandKeyOf(sig, band), slot);
    }
  }

  remove(entryId: number): boolean {
    const slot = this.slotOf.get(entryId);
    if (slot === undefined) return false;
    this.slotOf.delete(entryId);
    for (let band = 0; band < this.shape.bands; band++) {
      this.tables.remove(band, this.slots.bandKey(slot, band), slot);
    }
    this.keys[slot] = undefined;
    this.slots.release(slot);
    return true;
  }

  /** Keys whose entries share a band with `sig` and reach `minSimilarity`, best first. */
  query(sig: Uint32Array, minSimilarity: number): Array<LshCandidate<K>> {
    const hits: Hit[] = [];
    const probe = this.probe;
    this.slots.newLookup();
    for (let band = 0; band < this.shape.bands; band++) {
      const bk = this.slots.bandKeyOf(sig, band);
      probe.length = 0;
      this.tables.lookup(band, bk, probe);
      for (const slot of probe) {
        // A tag match may be another key; an entry already seen in an earlier band is not considered again.
        if (this.slots.bandKey(slot, band) !== bk || !this.slots.markSeen(slot)) continue;
        const s = this.slots.similarity(sig, slot);
        if (s >= minSimilarity) hits.push({ slot, band, similarity: s });
      }
    }
    // Ties keep the order in which scanning bands in turn, and each bucket oldest entry first, meets the keys (the
    // order of the Map-per-band index this replaced): a caller taking the first candidate picks the same story.
    hits.sort((a, b) => a.band - b.band || this.slots.seqOf(a.slot) - this.slots.seqOf(b.slot));
    const best = new Map<K, number>();
    for (const hit of hits) {
      const key = this.keys[hit.slot] as K;
      if (hit.similarity > (best.get(key) ?? -1)) best.set(key, hit.similarity);
    }
    return [...best.entries()]
      .map(([key, s]) => ({ key, similarity: s }))
      .sort((a, b) => b.similarity - a.similarity);
  }
}
