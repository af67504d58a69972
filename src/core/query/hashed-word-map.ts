/** Value slot of an empty cell (values are offsets or -1). */
const EMPTY = -2;

/**
 * A map from words to integers keyed by a hash the caller already has (wordHash): open addressing over
 * flat arrays. A Map keyed by strings hashes each fresh text word again and costs several cache misses per
 * look-up; here a cell's hash and value sit side by side in one Int32Array, and the key string is read only
 * when the hash matches. No deletion, only `clear`.
 */
export class HashedWordMap {
  /** Per cell: hash, value (EMPTY when the cell is free). */
  private cells = new Int32Array(2048).fill(EMPTY);
  private keys: string[] = new Array<string>(1024).fill('');
  private mask = 1023;
  size = 0;

  /** The value of `w` (whose hash is `h`), or `missing`. */
  get(w: string, h: number, missing: number): number {
    const cells = this.cells;
    const mask = this.mask;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const v = cells[2 * i + 1]!;
      if (v === EMPTY) return missing;
      if (cells[2 * i] === h && this.keys[i] === w) return v;
    }
  }

  /** Adds a word that is not in the map, with a value >= -1. */
  set(w: string, h: number, value: number): void {
    if (2 * (this.size + 1) > this.keys.length) this.grow();
    this.put(w, h, value);
    this.size++;
  }

  clear(): void {
    if (this.size === 0) return;
    this.cells.fill(EMPTY);
    this.keys.fill('');
    this.size = 0;
  }

  private put(w: string, h: number, value: number): void {
    const mask = this.mask;
    let i = h & mask;
    while (this.cells[2 * i + 1] !== EMPTY) i = (i + 1) & mask;
    this.keys[i] = w;
    this.cells[2 * i] = h;
    this.cells[2 * i + 1] = value;
  }

  private grow(): void {
    const { cells, keys } = this;
    const size = keys.length * 2;
    this.cells = new Int32Array(2 * size).fill(EMPTY);
    this.keys = new Array<string>(size).fill('');
    this.mask = size - 1;
    for (let i = 0; i < keys.length; i++) {
      if (cells[2 * i + 1] !== EMPTY) this.put(keys[i]!, cells[2 * i]!, cells[2 * i + 1]!);
    }
  }
}
