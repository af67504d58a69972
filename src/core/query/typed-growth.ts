type GrowableArray = Int32Array<ArrayBuffer> | Uint8Array<ArrayBuffer> | Float64Array<ArrayBuffer>;

/** `table` grown (doubling, zero-filled) so that `index` is inside it: the same array if it already is. */
export function grownToHold<T extends GrowableArray>(table: T, index: number): T {
  if (index < table.length) return table;
  const Grown = table.constructor as new (length: number) => T;
  const grown = new Grown(Math.max(index + 1, table.length * 2));
  (grown as GrowableArray).set(table);
  return grown;
}
