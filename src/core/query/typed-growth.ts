type GrowableArray = Int32Array<ArrayBuffer> | Uint8Array<ArrayBuffer> | Float64Array<ArrayBuffer>;

/** `table` grown (doubling, zero-filled) so that `index` is inside it: the same array if it already is. */
export function grownToHold<T extends GrowableArray>(table: T, index: number): T {
  // The check alone, small enough to be inlined where tables grow per watch added; growing is rare.
  return index < table.length ? table : grown(table, index);
}

/**
 * The capacity a table of `length` entries grows to: four times once large. Every entry copied is memory
 * touched again, and memory first touched is dear (a page fault per 4 kB, some 15 µs on a sandboxed host);
 * the capacity not yet used is never touched, so costs address space only.
 */
export function grownLength(length: number, needed: number): number {
  return Math.max(needed, length < 16_384 ? length * 2 : length * 4);
}

function grown<T extends GrowableArray>(table: T, index: number): T {
  const Grown = table.constructor as new (length: number) => T;
  const grown = new Grown(grownLength(table.length, index + 1));
  (grown as GrowableArray).set(table);
  return grown;
}
