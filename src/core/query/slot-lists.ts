import { withRoomFor } from './word-ids.js';
import { grownToHold } from './typed-growth.js';

/**
 * Lists of watch slots by word id, as entries linked through two Int32Arrays: 100,000 watches would
 * otherwise mean tens of thousands of small arrays, each allocated, grown and copied by the garbage
 * collector while the index is built. A list's order is not kept (results are sorted by insertion order).
 */
export class SlotLists {
  /** By word id: 1 + the list's first entry (0: empty). */
  private heads = new Int32Array(1024);
  /** By entry: its slot, and the next entry of its list (-1 at the end, or in the free list). */
  slots = new Int32Array(1024);
  nexts = new Int32Array(1024);
  private used = 0;
  /** First entry of the free list (entries of removed slots), -1 if none. */
  private free = -1;

  /** The first entry of the list of word `id`, or -1 (the next is `nexts[entry]`). */
  first(id: number): number {
    return id >= 0 && id < this.heads.length ? this.heads[id]! - 1 : -1;
  }

  /** Adds `slot` to the list of word `id`; true when the list was empty. */
  add(id: number, slot: number): boolean {
    const heads = (this.heads = withRoomFor(this.heads, id));
    let e = this.free;
    if (e >= 0) this.free = this.nexts[e]!;
    else {
      e = this.used++;
      if (e >= this.slots.length) {
        this.slots = grownToHold(this.slots, e);
        this.nexts = grownToHold(this.nexts, e);
      }
    }
    this.slots[e] = slot;
    this.nexts[e] = heads[id]! - 1;
    heads[id] = e + 1;
    return this.nexts[e]! < 0;
  }

  /** Removes `slot` from the list of word `id` (if there). */
  remove(id: number, slot: number): void {
    let prev = -1;
    for (let e = this.first(id); e >= 0; prev = e, e = this.nexts[e]!) {
      if (this.slots[e] !== slot) continue;
      if (prev < 0) this.heads[id] = this.nexts[e]! + 1;
      else this.nexts[prev] = this.nexts[e]!;
      this.nexts[e] = this.free;
      this.free = e;
      return;
    }
  }
}
