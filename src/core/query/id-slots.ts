import { grownToHold } from './typed-growth.js';

/** Ids held densely below this (or twice the ids held, if more), so that sparse ids cannot blow the table up. */
const DENSE_MIN = 4096;

/**
 * A map from watch ids to slots. Ids that are small non-negative integers (the application's are database
 * row ids) are kept in an Int32Array indexed by the id: adding 100,000 watches then costs no hash-table
 * look-ups nor the growth of a large Map. Other ids (strings, sparse numbers) go to a Map.
 */
export class IdSlots<Id extends string | number> {
  private readonly map = new Map<Id, number>();
  /** By id: 1 + the slot (0: none). */
  private dense = new Int32Array(0);
  private denseCount = 0;

  get size(): number {
    return this.map.size + this.denseCount;
  }

  get(id: Id): number | undefined {
    if (this.inDense(id)) {
      const s = this.dense[id as number]!;
      if (s > 0) return s - 1;
    }
    return this.map.size > 0 ? this.map.get(id) : undefined;
  }

  has(id: Id): boolean {
    return this.get(id) !== undefined;
  }

  /** Sets the slot of an id that is not held. */
  add(id: Id, slot: number): void {
    if (
      typeof id === 'number' &&
      Number.isInteger(id) &&
      id >= 0 &&
      id < Math.max(DENSE_MIN, 2 * this.size)
    ) {
      this.dense = grownToHold(this.dense, Math.max(id, DENSE_MIN - 1));
      this.dense[id] = slot + 1;
      this.denseCount++;
    } else this.map.set(id, slot);
  }

  delete(id: Id): boolean {
    if (this.inDense(id) && this.dense[id as number]! > 0) {
      this.dense[id as number] = 0;
      this.denseCount--;
      return true;
    }
    return this.map.delete(id);
  }

  /** The slots held (in no particular order). */
  *values(): Iterable<number> {
    const dense = this.dense;
    for (let i = 0; i < dense.length; i++) if (dense[i]! > 0) yield dense[i]! - 1;
    yield* this.map.values();
  }

  private inDense(id: Id): boolean {
    return typeof id === 'number' && id >= 0 && id < this.dense.length && Number.isInteger(id);
  }
}
