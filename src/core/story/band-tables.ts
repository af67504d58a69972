import type { SignatureSlots } from './signature-slots.js';

const MIN_CAPACITY = 1024;
/** Linear probing stays short up to about this load; beyond it every table is rebuilt at GROWN_LOAD. */
const MAX_LOAD = 0.75;
const GROWN_LOAD = 0.5;

/**
 * The LSH buckets of every band: per band, an open-addressing multimap (linear probing) from bucket key to the
 * slots whose signature has that key in the band. Each band holds exactly one cell per entry, so all bands share one
 * capacity and one Int32Array, 4 bytes per cell instead of a Map entry and, for shared buckets, an array.
 *
 * A cell holds slot + 1 (0 is empty) in its low bits and the low bits of the bucket key as a tag above them, so a
 * probe skips other keys without touching their signatures. The slot count never exceeds MAX_LOAD × capacity (the
 * table grows first), so slot + 1 always fits below the tag. Whole keys are not stored: a tag match, a deletion and a
 * rebuild recompute the key from the stored signature (SignatureSlots.bandKey), which is cheap next to the
 * similarity computed for every real candidate anyway.
 */
export class BandTables {
  private cells: Int32Array;
  private capacity = 0;
  private slotBits = 0;
  private slotMask = 0;
  private tagMask = 0;

  constructor(
    private readonly bands: number,
    private readonly slots: SignatureSlots,
  ) {
    this.cells = new Int32Array(0);
    this.resize(MIN_CAPACITY);
  }

  /** Makes room for `entries` entries (growing every band, and re-inserting the live slots, if needed). */
  reserve(entries: number): void {
    if (entries > this.capacity * MAX_LOAD) this.resize(Math.ceil(entries / GROWN_LOAD));
  }

  insert(band: number, bk: number, slot: number): void {
    if (slot + 1 > this.slotMask) throw new Error(`slot ${slot} does not fit a table of ${this.capacity}`);
    const cells = this.cells;
    const base = band * this.capacity;
    let i = this.home(bk);
    while (cells[base + i] !== 0) i = i + 1 === this.capacity ? 0 : i + 1;
    cells[base + i] = ((bk & this.tagMask) << this.slotBits) | (slot + 1);
  }

  /** Appends to `out` the slots that may hold `bk` in `band` (same tag); the caller checks the whole key. */
  lookup(band: number, bk: number, out: number[]): void {
    const cells = this.cells;
    const base = band * this.capacity;
    const tag = bk & this.tagMask;
    for (let i = this.home(bk); ; i = i + 1 === this.capacity ? 0 : i + 1) {
      const cell = cells[base + i] as number;
      if (cell === 0) return;
      if (cell >>> this.slotBits === tag) out.push((cell & this.slotMask) - 1);
    }
  }

  /** Removes `slot`, stored under `bk` in `band`; its signature must still be in place for the shift below. */
  remove(band: number, bk: number, slot: number): void {
    const cells = this.cells;
    const base = band * this.capacity;
    let hole = this.home(bk);
    for (;;) {
      const cell = cells[base + hole] as number;
      if (cell === 0) return;
      if ((cell & this.slotMask) === slot + 1) break;
      hole = hole + 1 === this.capacity ? 0 : hole + 1;
    }
    // Backward-shift deletion: later cells of the run move into the hole unless that would put them before their
    // home, so probes still reach every cell without tombstones.
    for (let j = hole; ;) {
      j = j + 1 === this.capacity ? 0 : j + 1;
      const cell = cells[base + j] as number;
      if (cell === 0) break;
      const h = this.home(this.slots.bandKey((cell & this.slotMask) - 1, band));
      const staysAfterHole = hole <= j ? h > hole && h <= j : h > hole || h <= j;
      if (!staysAfterHole) {
        cells[base + hole] = cell;
        hole = j;
      }
    }
    cells[base + hole] = 0;
  }

  /** Bucket keys are uniform 30-bit values: their top bits scale to a cell, so the capacity need not be 2^k. */
  private home(bk: number): number {
    return ((bk * this.capacity) / 0x40000000) | 0;
  }

  private resize(capacity: number): void {
    this.capacity = capacity;
    this.slotBits = 32 - Math.clz32(capacity);
    this.slotMask = 2 ** this.slotBits - 1;
    this.tagMask = 2 ** (32 - this.slotBits) - 1;
    this.cells = new Int32Array(this.bands * capacity);
    for (let slot = 0; slot < this.slots.highWater; slot++) {
      if (!this.slots.isLive(slot)) continue;
      for (let band = 0; band < this.bands; band++) this.insert(band, this.slots.bandKey(slot, band), slot);
    }
  }
}
