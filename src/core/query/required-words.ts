import type { CompiledQuery, QueryWord, Term } from './ast.js';
import type { WordFilter } from './word-filter.js';
import { knownWordId, withRoomFor } from './word-ids.js';
import { grownLength, grownToHold } from './typed-growth.js';

/** At most this many word groups are kept per watch: enough to turn most candidates away. */
const MAX_GROUPS = 4;

/**
 * A cheap necessary condition checked before a general watch is verified: words that any item it matches
 * must contain (anywhere, in any case). Query words get integer ids; the index marks the ids of the current
 * item's words in `present` (an Int32Array of item stamps indexed by id), and a watch passes when each of its
 * groups has a present id. The groups live in one flat Int32Array (per slot: a range of
 * `[length, id, id, ...]` groups), so the check reads numbers only, never the query objects.
 */
export class RequiredWords {
  /**
   * By word id (see word-ids.ts), 1 + the id here (0: none) of words that must occur as they are (quoted
   * words, phrase words), and of words that must occur as they are or as a simple plural (`word` terms).
   */
  private exactIds = new Int32Array(256);
  private stemIds = new Int32Array(256);
  private idCount = 0;
  /** Where the groups of the watch being set begin in the pool. */
  private setStart = 0;
  private pool = new Int32Array(1024);
  private used = 0;
  /** Pool entries owned by removed watches, reclaimed by compaction. */
  private garbage = 0;
  private starts = new Int32Array(256);
  private ends = new Int32Array(256);
  /** By word id: the stamp of the last item containing the word. */
  present = new Int32Array(256);

  /** `filter` learns every word that has an id (with its plurals for stem ids). */
  constructor(private readonly filter: WordFilter) {}

  /**
   * The ids an item word makes present: its exact id and the stem ids of the word and of the singulars it
   * may be the plural of ("armies" → army). Only words some watch has used have ids.
   */
  idsOf(w: string): number[] {
    const out: number[] = [];
    const push = (ids: Int32Array, word: string): void => {
      const id = knownWordId(word);
      if (id >= 0 && id < ids.length && ids[id]! > 0) out.push(ids[id]! - 1);
    };
    push(this.exactIds, w);
    push(this.stemIds, w);
    if (w.length > 1 && w.endsWith('s')) {
      push(this.stemIds, w.slice(0, -1));
      if (w.endsWith('es')) push(this.stemIds, w.slice(0, -2));
      if (w.endsWith('ies')) push(this.stemIds, `${w.slice(0, -3)}y`);
    }
    return out;
  }

  /** Records the required words of the watch in `slot` (replacing what the slot had). */
  set(slot: number, q: CompiledQuery, key: string | null, live: () => Iterable<number>): void {
    this.clear(slot);
    this.ensureSlot(slot);
    // Written straight into the pool (no intermediate lists): this runs for half of all watches added.
    // Room for the worst case first; `used` only moves past what was written.
    if (this.used + 2 * MAX_GROUPS > this.pool.length) {
      // Compaction walks every live watch: worth it only when removed watches left much behind.
      if (this.garbage * 4 > this.used) this.compact(live(), 2 * MAX_GROUPS);
      else this.grow();
    }
    const start = (this.setStart = this.used);
    const root = q.root;
    if (root.kind === 'term') this.addTerm(root.term, key);
    else if (root.kind === 'and') {
      for (const c of root.children) if (c.kind === 'term') this.addTerm(c.term, key);
    }
    if (this.used === start) return;
    this.starts[slot] = start;
    this.ends[slot] = this.used;
  }

  /**
   * The groups a term needs, each one word long: a word term its word (or a plural of it), phrase and near
   * terms each of their words. Spaceless words are matched inside other words and prefixes by any word
   * starting with them: they give no group. The word the watch is indexed under (`key`) is (nearly always)
   * present in its candidates: no use checking it.
   */
  private addTerm(t: Term, key: string | null): void {
    const many = t.mode === 'phrase' || t.mode === 'near';
    if (!many && t.mode === 'prefix') return;
    const stem = t.mode === 'word';
    const words = t.words;
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      if (this.used - this.setStart >= 2 * MAX_GROUPS) return;
      if (w.spaceless || w.word === key) continue;
      this.pool[this.used++] = 1;
      this.pool[this.used++] = this.intern(stem, w);
      if (!many) return;
    }
  }

  clear(slot: number): void {
    if (slot >= this.starts.length) return;
    this.garbage += this.ends[slot]! - this.starts[slot]!;
    this.starts[slot] = this.ends[slot] = 0;
  }

  /** Whether every group of the slot has a word of the item stamped `stamp`. */
  passes(slot: number, stamp: number): boolean {
    const pool = this.pool;
    const present = this.present;
    const end = this.ends[slot]!;
    for (let i = this.starts[slot]!; i < end;) {
      const n = pool[i++]!;
      let ok = false;
      for (let k = 0; k < n; k++) if (present[pool[i + k]!] === stamp) ok = true;
      if (!ok) return false;
      i += n;
    }
    return true;
  }

  private intern(stem: boolean, w: QueryWord): number {
    let ids = stem ? this.stemIds : this.exactIds;
    if (w.id >= ids.length) {
      ids = withRoomFor(ids, w.id);
      if (stem) this.stemIds = ids;
      else this.exactIds = ids;
    }
    let id = ids[w.id]! - 1;
    if (id < 0) {
      id = this.idCount++;
      ids[w.id] = id + 1;
      if (stem) this.filter.addStem(w.word);
      else this.filter.addExact(w.word);
      this.present = grownToHold(this.present, id);
    }
    return id;
  }

  private ensureSlot(slot: number): void {
    this.starts = grownToHold(this.starts, slot);
    this.ends = grownToHold(this.ends, slot);
  }

  private grow(): void {
    const pool = new Int32Array(grownLength(this.pool.length, this.pool.length + 1));
    pool.set(this.pool.subarray(0, this.used));
    this.pool = pool;
  }

  /** Copies the live slots' groups into a pool with room for `extra` more entries. */
  private compact(live: Iterable<number>, extra: number): void {
    const needed = this.used - this.garbage + extra;
    const pool = new Int32Array(Math.max(1024, needed * 2));
    let used = 0;
    for (const slot of live) {
      if (slot >= this.starts.length) continue;
      const s = this.starts[slot]!;
      const e = this.ends[slot]!;
      pool.set(this.pool.subarray(s, e), used);
      this.starts[slot] = used;
      this.ends[slot] = used += e - s;
    }
    this.pool = pool;
    this.used = used;
    this.garbage = 0;
  }
}
