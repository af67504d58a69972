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
  private cells = new Int32Array(0);
  private keys: string[] = [];
  private mask = 0;
  size = 0;
  /** The key `getAt` last found (the caller may want the string it has just been compared with). */
  foundKey = '';

  constructor() {
    // Assigned a second time here, not only when the map grows: V8 takes a field never reassigned since
    // construction for a constant, and optimised code that folded in a module-level map's tables (the
    // parser's, see query-words.ts) would be thrown away and compiled again when any map first grows.
    this.allocate(1024);
  }

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

  /** The value of the word `text[from, to)` (whose hash is `h`), or `missing`: no string is made for it. */
  getAt(text: string, from: number, to: number, h: number, missing: number): number {
    const cells = this.cells;
    const mask = this.mask;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const v = cells[2 * i + 1]!;
      if (v === EMPTY) return missing;
      if (cells[2 * i] !== h) continue;
      const key = this.keys[i]!;
      if (key.length === to - from && text.startsWith(key, from)) {
        this.foundKey = key;
        return v;
      }
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

  private allocate(size: number): void {
    this.cells = new Int32Array(2 * size).fill(EMPTY);
    this.keys = new Array<string>(size).fill('');
    this.mask = size - 1;
  }

  private grow(): void {
    const { cells, keys } = this;
    this.allocate(keys.length * 2);
    for (let i = 0; i < keys.length; i++) {
      if (cells[2 * i + 1] !== EMPTY) this.put(keys[i]!, cells[2 * i]!, cells[2 * i + 1]!);
    }
  }
}
