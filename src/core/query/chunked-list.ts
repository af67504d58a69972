const CHUNK_BITS = 12;
const CHUNK = 1 << CHUNK_BITS;

/**
 * A list indexed from 0, in chunks made at their full size and never copied. A plain array of 100,000
 * entries grown one by one is copied a dozen times over as it grows, and each copy is fresh memory to fault
 * in (dear on a sandboxed host): the index keeps a few such lists, filled while its watches are added.
 */
export class ChunkedList<T> {
  private readonly chunks: Array<Array<T | undefined>> = [];
  /** One past the last index `push` gave. */
  private count = 0;

  get(i: number): T | undefined {
    return this.chunks[i >> CHUNK_BITS]?.[i & (CHUNK - 1)];
  }

  set(i: number, value: T): void {
    const c = i >> CHUNK_BITS;
    while (this.chunks.length <= c) this.chunks.push(new Array<T | undefined>(CHUNK));
    this.chunks[c]![i & (CHUNK - 1)] = value;
  }

  /** Appends `value`; returns its index. */
  push(value: T): number {
    this.set(this.count, value);
    return this.count++;
  }
}
