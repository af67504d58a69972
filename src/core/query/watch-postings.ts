import type { Term } from './ast.js';
import { HashedWordMap } from './hashed-word-map.js';
import { acceptsWord } from './direct-match.js';
import type { IndexKeys } from './presearch.js';
import type { WordFilter } from './word-filter.js';
import { knownWordId } from './word-ids.js';
import { SlotLists } from './slot-lists.js';

type Table = Map<string, number[]>;

/** Bound on the word → candidates memo: a long-running process meets new words forever. */
const MEMO_MAX = 200_000;
/** Memo value of a word that brings nothing. */
const NONE = -1;

/** Prefix tables are bucketed by their first 3 characters (the shortest prefix allowed). */
const BUCKET = 3;

/** Adds `slot` under `key`; true when the key is new to the table. */
function addPosting(map: Table, key: string, slot: number): boolean {
  const list = map.get(key);
  if (list) list.push(slot);
  else map.set(key, [slot]);
  return list === undefined;
}

/** Removes `slot` from `list`; true when the list is left empty. */
function removeFrom(list: number[], slot: number): boolean {
  // Swap-remove: posting order does not matter, results are sorted by insertion order.
  const at = list.indexOf(slot);
  if (at >= 0) {
    list[at] = list[list.length - 1]!;
    list.pop();
  }
  return list.length === 0;
}

function removePosting(map: Table, key: string, slot: number): void {
  const list = map.get(key);
  if (list && removeFrom(list, slot)) map.delete(key);
}

/**
 * The presearcher's tables: index key → watch slots. Adding or removing one watch touches only its keys.
 * `direct` gives, by slot, the simple terms of a direct watch (null for a general one).
 */
export class WatchPostings {
  /** By word id (see word-ids.ts): the slots indexed under the word. */
  private readonly words = new SlotLists();
  /** First 3 characters → full prefix → slots. */
  private readonly prefixes = new Map<string, Table>();
  /** First character of a word of a script without spaces → slots. */
  readonly spaceless: Table = new Map();
  /** Slots of watches with nothing indexable: checked against every item. */
  readonly always = new Set<number>();
  /**
   * Item word → the watches it makes candidates. News vocabulary repeats, so most words of an item are
   * answered by one look-up here instead of several in the tables and a walk over the prefix table; words
   * that matter to no watch (most of them) are turned away by `filter` before reaching this large map.
   * Any change to the tables clears it.
   */
  private readonly memo = new HashedWordMap();
  /**
   * The memo's entries, packed so that gathering candidates reads numbers only, from one array: what one
   * item word brings is, at the offset the memo holds for it, `[n, id × n]` (the query-word ids the word
   * makes present, see RequiredWords), `[n, (slot, program) × n]` (general watches to verify, and where
   * their FlatVerifier program starts or -1; programs move only when watches are linked) and
   * `[n, (slot, field mask, term index, text) × n]` (direct watches, the term the word satisfies and where
   * its text is in `texts`), `[n, (id, same) × n]` (the FlatVerifier ids the word stands for).
   */
  arena = new Int32Array(4096);
  /** Texts of the terms in `arena`: read from here, not from the terms, they cost no cache miss per hit. */
  readonly texts: string[] = [];
  private arenaUsed = 0;

  constructor(
    private readonly direct: (slot: number) => readonly Term[] | null,
    private readonly idsOf: (word: string) => number[],
    private readonly filter: WordFilter,
    private readonly flatIdsOf: (word: string) => number[],
    private readonly programOf: (slot: number) => number,
  ) {}

  link(slot: number, found: IndexKeys | null): void {
    this.clearMemo();
    if (!found) {
      this.always.add(slot);
      return;
    }
    const { tables, keys, ids } = found;
    for (let i = 0; i < found.count; i++) {
      const table = tables[i]!;
      const key = keys[i]!;
      if (table === 'word') {
        // A key already in the table is already in the filter (it keeps what removed watches leave).
        if (this.words.add(ids[i]!, slot)) this.filter.addStem(key);
      } else if (table === 'spaceless') addPosting(this.spaceless, key, slot);
      else {
        const bucket = key.slice(0, BUCKET);
        let inner = this.prefixes.get(bucket);
        if (!inner) this.prefixes.set(bucket, (inner = new Map()));
        if (addPosting(inner, key, slot)) this.filter.addPrefix(key);
      }
    }
  }

  unlink(slot: number, found: IndexKeys | null): void {
    this.clearMemo();
    if (!found) {
      this.always.delete(slot);
      return;
    }
    const { tables, keys, ids } = found;
    for (let i = 0; i < found.count; i++) {
      const table = tables[i]!;
      const key = keys[i]!;
      if (table === 'word') this.words.remove(ids[i]!, slot);
      else if (table === 'spaceless') removePosting(this.spaceless, key, slot);
      else {
        const bucket = key.slice(0, BUCKET);
        const inner = this.prefixes.get(bucket);
        if (!inner) continue;
        removePosting(inner, key, slot);
        if (inner.size === 0) this.prefixes.delete(bucket);
      }
    }
  }

  /**
   * Where in `arena` the memo entry of an item word whose wordHash is `h` starts (computed on first sight),
   * or -1 if it brings nothing. Read `arena` after the call: computing an entry may grow it.
   */
  entry(w: string, h: number): number {
    if (!this.filter.mayMatterHashed(w, h)) return NONE;
    let at = this.memo.get(w, h, -2);
    if (at === -2) {
      if (this.memo.size >= MEMO_MAX) this.clearMemo();
      at = this.wordCandidates(w);
      this.memo.set(w, h, at);
    }
    return at;
  }

  private clearMemo(): void {
    this.memo.clear();
    this.arenaUsed = 0;
    if (this.texts.length > 0) this.texts.length = 0;
  }

  /** Every watch an item word can make a candidate: under the word, a singular it may be the plural of, or a prefix. */
  private wordCandidates(w: string): number {
    const seen = new Set<number>();
    const general: number[] = [];
    const direct: number[] = [];
    const addSlot = (slot: number): void => {
      if (seen.has(slot)) return;
      seen.add(slot);
      const simple = this.direct(slot);
      if (!simple) {
        general.push(slot, this.programOf(slot));
        return;
      }
      for (const t of simple) {
        if (!acceptsWord(t, w)) continue;
        direct.push(slot, t.fieldMask, t.index, this.texts.push(t.text) - 1);
      }
    };
    const { slots, nexts } = this.words;
    const addWord = (word: string): void => {
      for (let e = this.words.first(knownWordId(word)); e >= 0; e = nexts[e]!) addSlot(slots[e]!);
    };
    addWord(w);
    // The singulars a plural query word may stand for: "koreas" → korea, "boxes" → box, "armies" → army.
    if (w.length > 1 && w.endsWith('s')) {
      addWord(w.slice(0, -1));
      if (w.endsWith('es')) addWord(w.slice(0, -2));
      if (w.endsWith('ies')) addWord(`${w.slice(0, -3)}y`);
    }
    if (w.length >= BUCKET) {
      this.prefixes.get(w.slice(0, BUCKET))?.forEach((list, p) => {
        if (w.startsWith(p)) for (const slot of list) addSlot(slot);
      });
    }
    const ids = this.idsOf(w);
    const flat = this.flatIdsOf(w);
    if (seen.size === 0 && ids.length === 0 && flat.length === 0) return NONE;
    const at = this.arenaUsed;
    const end = at + 4 + ids.length + general.length + direct.length + flat.length;
    if (end > this.arena.length) {
      const grown = new Int32Array(Math.max(end, 2 * this.arena.length));
      grown.set(this.arena.subarray(0, at));
      this.arena = grown;
    }
    let i = at;
    this.arena[i++] = ids.length;
    this.arena.set(ids, i);
    i += ids.length;
    this.arena[i++] = general.length / 2;
    this.arena.set(general, i);
    i += general.length;
    this.arena[i++] = direct.length / 4;
    this.arena.set(direct, i);
    i += direct.length;
    this.arena[i++] = flat.length / 2;
    this.arena.set(flat, i);
    this.arenaUsed = end;
    return at;
  }
}
