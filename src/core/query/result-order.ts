import type { ChunkedList } from './chunked-list.js';

/** Scratch for `inInsertionOrder`: matching is synchronous, so one buffer serves every index. */
let keys = new Float64Array(256);

/** Sorts `keys[0, n)` in place: insertion sort for the short lists most items give, else the built-in sort. */
function sortKeys(n: number): void {
  if (n > 32) {
    keys.subarray(0, n).sort();
    return;
  }
  for (let i = 1; i < n; i++) {
    const k = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > k) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = k;
  }
}

/**
 * The matches of one item (watch slots and their hits, in any order) in the order the watches were added:
 * by `seqs[slot]`. One numeric sort of seq * n + position, with no comparator and no allocation but the result
 * (exact while below 2^53: about 2^53 / n watches ever added).
 */
export function inInsertionOrder<Id, H>(
  slots: readonly number[],
  hits: readonly H[],
  seqs: Float64Array,
  ids: ChunkedList<Id>,
): Array<{ id: Id; hits: H }> {
  const n = slots.length;
  const out = new Array<{ id: Id; hits: H }>(n);
  if (n === 0) return out;
  if (n > keys.length) keys = new Float64Array(Math.max(n, 2 * keys.length));
  for (let i = 0; i < n; i++) keys[i] = seqs[slots[i]!]! * n + i;
  sortKeys(n);
  for (let k = 0; k < n; k++) {
    // Not `% n`: on doubles that is a call to fmod, slower than a division (which may round up: then i < 0).
    const key = keys[k]!;
    let i = key - Math.floor(key / n) * n;
    if (i < 0) i += n;
    out[k] = { id: ids.get(slots[i]!)!, hits: hits[i]! };
  }
  return out;
}
