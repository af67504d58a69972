/** `table` grown (doubling, zero-filled) so that `index` is inside it: the same array if it already is. */
export function grownToHold(table: Int32Array<ArrayBuffer>, index: number): Int32Array<ArrayBuffer> {
  if (index < table.length) return table;
  const grown = new Int32Array(Math.max(index + 1, table.length * 2));
  grown.set(table);
  return grown;
}
