import type { CompiledQuery } from './ast.js';
import { AND, FlatPrograms, NOT, PHRASE, TERM, WORD } from './flat-programs.js';
import type { Hit, TermSpan } from './item-view.js';
import { orderHits } from './item-view.js';
import type { PreparedItem } from './prepared-item.js';
import type { WordFilter } from './word-filter.js';

/**
 * A second verifier, for the general watches made only of plain words and phrases (any case, not of a
 * spaceless script) under AND, OR and NOT: most of them. It gives the same answer and the same hits as
 * `matchPrepared`, but reads numbers from one pool instead of walking the query objects (some fifteen
 * scattered objects per watch, each a cache miss once there are many watches).
 *
 * Query words get integer ids. The memo entry of an item word carries the ids it stands for (its own, and
 * those of the singulars it is a simple plural of): `link` records them for the current item, so that a
 * term's occurrences are found without comparing a string. The programs are in FlatPrograms.
 */
export class FlatVerifier {
  private readonly programs: FlatPrograms;
  /** By id: the stamp of the item whose words were last linked to it, and its first link. */
  private idStamps = new Int32Array(256);
  private heads = new Int32Array(256);
  /** By link: the item's distinct word, 1 if the word is the id's word itself (not a plural), next link. */
  private readonly linkWord: number[] = [];
  private readonly linkSame: number[] = [];
  private readonly linkNext: number[] = [];
  private links = 0;
  private stamp = 0;
  private item: PreparedItem | null = null;
  private segBits: Int32Array = new Int32Array(0);

  constructor(filter: WordFilter) {
    this.programs = new FlatPrograms(filter);
  }

  /** Whether the watch in `slot` was taken (it can be verified here), replacing what the slot had. */
  set(slot: number, q: CompiledQuery, live: () => Iterable<number>): boolean {
    return this.programs.set(slot, q, live);
  }

  /** Where the program of the watch in `slot` starts, or -1 if it is not verified here. */
  programOf(slot: number): number {
    return this.programs.has(slot) ? this.programs.starts[slot]! : -1;
  }

  clear(slot: number): void {
    this.programs.clear(slot);
  }

  /** The ids an item word stands for, as pairs (id, 1 if it is the id's word itself, else 0). */
  idsOf(w: string): number[] {
    return this.programs.idsOf(w);
  }

  /** Starts a new item: its words are linked to ids by `link`, with item stamp `stamp`. */
  begin(item: PreparedItem, stamp: number, segBits: Int32Array): void {
    if (this.programs.size > this.idStamps.length) {
      this.idStamps = new Int32Array(Math.max(this.programs.size, 2 * this.idStamps.length));
      this.heads = new Int32Array(this.idStamps.length);
    } else if (stamp < this.stamp) this.idStamps.fill(0);
    this.stamp = stamp;
    this.item = item;
    this.segBits = segBits;
    this.links = 0;
  }

  /** Links the item's distinct word `d` to `id` (`same`: 1 if it is the id's word itself). */
  link(d: number, id: number, same: number): void {
    const k = this.links++;
    this.linkWord[k] = d;
    this.linkSame[k] = same;
    this.linkNext[k] = this.idStamps[id] === this.stamp ? this.heads[id]! : -1;
    this.idStamps[id] = this.stamp;
    this.heads[id] = k;
    if (same === 1) this.item!.words.marks[d] = id;
  }

  /** The hits on the current item of the watch whose program starts at `start`, or null if it does not match. */
  verify(start: number): Hit[] | null {
    const n = this.programs.pool[start]!;
    if (!this.holds(start + 1 + n)) return null;
    const spans: TermSpan[] = [];
    for (let i = 0; i < n; i++) this.scan(start + this.programs.pool[start + 1 + i]!, spans);
    return orderHits(spans, this.item!.segs);
  }

  private holds(at: number): boolean {
    const pool = this.programs.pool;
    switch (pool[at]) {
      case TERM:
        return this.scan(at, null);
      case NOT:
        return !this.holds(at + 2);
      case AND: {
        const end = pool[at + 1]!;
        for (let c = at + 2; c < end; c = this.next(c)) if (!this.holds(c)) return false;
        return true;
      }
      default: {
        const end = pool[at + 1]!;
        for (let c = at + 2; c < end; c = this.next(c)) if (this.holds(c)) return true;
        return false;
      }
    }
  }

  private next(at: number): number {
    return this.programs.pool[at] === TERM
      ? at + 7 + this.programs.pool[at + 6]!
      : this.programs.pool[at + 1]!;
  }

  /** Whether the term at `at` occurs; with `out`, every occurrence is added to it (else stops at the first). */
  private scan(at: number, out: TermSpan[] | null): boolean {
    const pool = this.programs.pool;
    const item = this.item!;
    const words = item.words;
    const mask = pool[at + 2]!;
    const kind = pool[at + 4]!;
    const a = pool[at + 5]!;
    const n = pool[at + 6]!;
    const id = pool[at + 7 + a]!;
    if (this.idStamps[id] !== this.stamp) return false;
    let found = false;
    for (let k = this.heads[id]!; k >= 0; k = this.linkNext[k]!) {
      if (kind !== WORD && this.linkSame[k] === 0) continue;
      for (let o = words.firsts[this.linkWord[k]!]!; o >= 0; o = words.nexts[o]!) {
        const s = words.segOf[o]!;
        if ((this.segBits[s]! & mask) === 0) continue;
        const p0 = words.posOf[o]! - a;
        if (kind === PHRASE && !this.phraseAt(at, s, p0, n, a)) continue;
        if (out === null) return true;
        found = true;
        const toks = item.segs[s]!.tokens;
        const span = { seg: s, start: toks[p0]!.start, end: toks[p0 + n - 1]!.end };
        out.push({ term: pool[at + 1]!, text: this.programs.texts.get(pool[at + 3]!)!, span });
      }
    }
    return found;
  }

  /** Whether the phrase's words other than the anchor `a` stand at their places from `p0` in segment `s`. */
  private phraseAt(at: number, s: number, p0: number, n: number, a: number): boolean {
    const words = this.item!.words;
    if (p0 < 0 || p0 + n > words.lengths[s]!) return false;
    const base = words.bases[s]! + p0;
    for (let i = 0; i < n; i++) {
      if (i === a) continue;
      const d = words.wordOf[base + i]!;
      const id = this.programs.pool[at + 7 + i]!;
      if (d < 0 || this.idStamps[id] !== this.stamp || words.marks[d] !== id) return false;
    }
    return true;
  }
}
