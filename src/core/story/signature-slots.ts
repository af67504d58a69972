import { mix32, similarity } from './minhash.js';

/**
 * Slots are allocated in chunks rather than by growing one array: a growing array copies everything and leaves up
 * to half its capacity unused, while a chunk of 512 signatures (128 KB) wastes little and never moves.
 */
const CHUNK_BITS = 9;
const CHUNK = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK - 1;

interface Chunk {
  /** CHUNK signatures of `stride` hashes each (16-bit values: see minhash.ts). */
  sigs: Uint16Array;
  /** Insertion order of each live slot (0 when free): a look-up reports ties in the order entries were added. */
  seq: Float64Array;
  /** The look-up that last saw each slot, so that a look-up considers an entry once however many bands it shares. */
  seen: Int32Array;
}

/**
 * The signatures of an LSH index, one numbered slot each, packed into shared typed arrays: one Uint32Array object
 * per signature costs more in object headers and backing-store bookkeeping than its 512 bytes of hashes. Freed slots
 * are reused, so the pool stays at the peak number of entries.
 */
export class SignatureSlots {
  /** Hashes kept per slot: a signature of another length also keeps its full copy in `odd` (see set). */
  readonly stride: number;
  private readonly chunks: Chunk[] = [];
  private readonly free: number[] = [];
  private readonly odd = new Map<number, Uint32Array>();
  private readonly bandSeeds: number[];
  private next = 0;
  private nextSeq = 1;
  private stamp = 0;

  constructor(
    stride: number,
    bands: number,
    private readonly rows: number,
  ) {
    this.stride = stride;
    // The band number is mixed in so that equal values in different bands never share a bucket key by accident.
    this.bandSeeds = Array.from({ length: bands }, (_, band) => mix32(band + 0x51ed270b));
  }

  /** Slots handed out so far (live or free): an upper bound of every slot number. */
  get highWater(): number {
    return this.next;
  }

  alloc(): number {
    const reused = this.free.pop();
    if (reused !== undefined) return reused;
    const slot = this.next++;
    if ((slot & CHUNK_MASK) === 0) {
      this.chunks.push({
        sigs: new Uint16Array(CHUNK * this.stride),
        seq: new Float64Array(CHUNK),
        seen: new Int32Array(CHUNK),
      });
    }
    return slot;
  }

  release(slot: number): void {
    this.chunk(slot).seq[slot & CHUNK_MASK] = 0;
    this.odd.delete(slot);
    this.free.push(slot);
  }

  isLive(slot: number): boolean {
    return slot < this.next && this.chunk(slot).seq[slot & CHUNK_MASK] !== 0;
  }

  /** Stores a signature (16-bit values, checked by LshIndex.add) in a slot and stamps it as the newest entry. */
  set(slot: number, sig: Uint32Array): void {
    const c = this.chunk(slot);
    const at = slot & CHUNK_MASK;
    const base = at * this.stride;
    const n = Math.min(sig.length, this.stride);
    c.sigs.set(n === sig.length ? sig : sig.subarray(0, n), base);
    c.sigs.fill(0, base + n, base + this.stride);
    c.seq[at] = this.nextSeq++;
    // The pool's copy serves the band keys (the first bands × rows hashes, within the stride); a signature of another
    // length than the stride is kept whole as well, so that its similarity is computed over its real length.
    if (sig.length !== this.stride) this.odd.set(slot, sig.slice());
  }

  seqOf(slot: number): number {
    return this.chunk(slot).seq[slot & CHUNK_MASK] as number;
  }

  /** Same value as lsh-index's bucket key of `sig` in that band, computed from the stored copy. */
  bandKey(slot: number, band: number): number {
    const sigs = this.chunk(slot).sigs;
    const off = (slot & CHUNK_MASK) * this.stride + band * this.rows;
    let h = this.bandSeeds[band] as number;
    for (let r = 0; r < this.rows; r++) h = mix32(h ^ (sigs[off + r] as number));
    return h & 0x3fffffff;
  }

  /** The bucket key of a band of a signature that is not stored (a query). */
  bandKeyOf(sig: Uint32Array, band: number): number {
    const off = band * this.rows;
    let h = this.bandSeeds[band] as number;
    for (let r = 0; r < this.rows; r++) h = mix32(h ^ (sig[off + r] as number));
    return h & 0x3fffffff;
  }

  /** minhash.ts's similarity(sig, stored signature), without materialising a view of the pool per candidate. */
  similarity(sig: Uint32Array, slot: number): number {
    if (this.odd.size > 0) {
      const whole = this.odd.get(slot);
      if (whole) return similarity(sig, whole);
    }
    const sigs = this.chunk(slot).sigs;
    const off = (slot & CHUNK_MASK) * this.stride;
    const n = Math.min(sig.length, this.stride);
    if (n === 0) return 0;
    let same = 0;
    for (let i = 0; i < n; i++) if (sig[i] === sigs[off + i]) same++;
    return same / n;
  }

  /** Starts a look-up: `markSeen` then reports each slot once until the next call. */
  newLookup(): void {
    if (this.stamp === 0x7fffffff) {
      for (const c of this.chunks) c.seen.fill(0);
      this.stamp = 0;
    }
    this.stamp++;
  }

  /** True the first time a slot is marked in the current look-up. */
  markSeen(slot: number): boolean {
    const seen = this.chunk(slot).seen;
    const at = slot & CHUNK_MASK;
    if (seen[at] === this.stamp) return false;
    seen[at] = this.stamp;
    return true;
  }

  private chunk(slot: number): Chunk {
    return this.chunks[slot >>> CHUNK_BITS] as Chunk;
  }
}
