import type { CompiledQuery, QueryNode, Term } from './ast.js';

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
  /** Ids of words that must occur as they are (quoted words, phrase words). */
  private readonly exactIds = new Map<string, number>();
  /** Ids of words that must occur as they are or as a simple plural (`word` terms). */
  private readonly stemIds = new Map<string, number>();
  private idCount = 0;
  private pool = new Int32Array(1024);
  private used = 0;
  /** Pool entries owned by removed watches, reclaimed by compaction. */
  private garbage = 0;
  private starts = new Int32Array(256);
  private ends = new Int32Array(256);
  /** By word id: the stamp of the last item containing the word. */
  present = new Int32Array(256);

  /**
   * The ids an item word makes present: its exact id and the stem ids of the word and of the singulars it
   * may be the plural of ("armies" → army). Only words some watch has used have ids.
   */
  idsOf(w: string): number[] {
    const out: number[] = [];
    const push = (id: number | undefined): void => {
      if (id !== undefined) out.push(id);
    };
    push(this.exactIds.get(w));
    push(this.stemIds.get(w));
    if (w.length > 1 && w.endsWith('s')) {
      push(this.stemIds.get(w.slice(0, -1)));
      if (w.endsWith('es')) push(this.stemIds.get(w.slice(0, -2)));
      if (w.endsWith('ies')) push(this.stemIds.get(`${w.slice(0, -3)}y`));
    }
    return out;
  }

  /** Records the required words of the watch in `slot` (replacing what the slot had). */
  set(slot: number, q: CompiledQuery, key: string | null, live: () => Iterable<number>): void {
    this.clear(slot);
    this.ensureSlot(slot);
    // The word the watch is indexed under is (nearly always) present in its candidates: no use checking it.
    const groups = requiredGroups(q.root)
      .filter((g) => g.words.length !== 1 || g.words[0] !== key)
      .slice(0, MAX_GROUPS);
    if (groups.length === 0) return;
    let size = 0;
    for (const g of groups) size += g.words.length + 1;
    if (this.used + size > this.pool.length) this.compact(live(), size);
    this.starts[slot] = this.used;
    for (const g of groups) {
      this.pool[this.used++] = g.words.length;
      for (const w of g.words) this.pool[this.used++] = this.intern(g.stem ? this.stemIds : this.exactIds, w);
    }
    this.ends[slot] = this.used;
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

  private intern(ids: Map<string, number>, word: string): number {
    let id = ids.get(word);
    if (id === undefined) {
      id = this.idCount++;
      ids.set(word, id);
      if (id >= this.present.length) {
        const grown = new Int32Array(this.present.length * 2);
        grown.set(this.present);
        this.present = grown;
      }
    }
    return id;
  }

  private ensureSlot(slot: number): void {
    if (slot < this.starts.length) return;
    const len = Math.max(slot + 1, this.starts.length * 2);
    const starts = new Int32Array(len);
    starts.set(this.starts);
    const ends = new Int32Array(len);
    ends.set(this.ends);
    this.starts = starts;
    this.ends = ends;
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

/** Words one of which must occur (as they are, or with `stem` also as a simple plural). */
interface Group {
  stem: boolean;
  words: string[];
}

/** The groups a term needs: a word term its word or a plural of it, phrase and near terms each of their words. */
function termGroups(t: Term): Group[] {
  // Spaceless words are matched inside other words: they give no group.
  if (t.mode === 'phrase' || t.mode === 'near')
    return t.words.filter((w) => !w.spaceless).map((w) => ({ stem: false, words: [w.word] }));
  const first = t.words[0]!;
  if (t.mode === 'prefix' || first.spaceless) return [];
  return [{ stem: t.mode === 'word', words: [first.word] }];
}

/** Groups of the terms every match needs: the root term, or the term children of a root AND. */
function requiredGroups(root: QueryNode): Group[] {
  if (root.kind === 'term') return termGroups(root.term);
  if (root.kind !== 'and') return [];
  const out: Group[] = [];
  for (const c of root.children) if (c.kind === 'term') out.push(...termGroups(c.term));
  return out;
}
