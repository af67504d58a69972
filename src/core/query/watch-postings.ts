import type { Term } from './ast.js';
import { acceptsWord } from './direct-match.js';
import type { IndexKey } from './presearch.js';
import type { WordFilter } from './word-filter.js';

/**
 * What one item word brings, as flat numbers so that gathering candidates reads no watch record:
 * general watches (slots) to verify, and direct watches (slots) with the field mask, index and text of
 * the term the word satisfies.
 */
export interface MemoEntry {
  /** The query-word ids the word makes present (see RequiredWords). */
  readonly ids: Int32Array;
  readonly general: Int32Array;
  readonly direct: Int32Array;
  readonly masks: Int32Array;
  readonly terms: Int32Array;
  readonly texts: readonly string[];
}

type Table = Map<string, number[]>;

/** Bound on the word → candidates memo: a long-running process meets new words forever. */
const MEMO_MAX = 200_000;
const EMPTY = new Int32Array(0);
const NONE: MemoEntry = { ids: EMPTY, general: EMPTY, direct: EMPTY, masks: EMPTY, terms: EMPTY, texts: [] };

/** Prefix tables are bucketed by their first 3 characters (the shortest prefix allowed). */
const BUCKET = 3;

function addPosting(map: Table, key: string, slot: number): void {
  const list = map.get(key);
  if (list) list.push(slot);
  else map.set(key, [slot]);
}

function removePosting(map: Table, key: string, slot: number): void {
  const list = map.get(key);
  if (!list) return;
  // Swap-remove: posting order does not matter, results are sorted by insertion order.
  const at = list.indexOf(slot);
  if (at >= 0) {
    list[at] = list[list.length - 1]!;
    list.pop();
  }
  if (list.length === 0) map.delete(key);
}

/**
 * The presearcher's tables: index key → watch slots. Adding or removing one watch touches only its keys.
 * `direct` gives, by slot, the simple terms of a direct watch (null for a general one).
 */
export class WatchPostings {
  private readonly words: Table = new Map();
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
  private readonly memo = new Map<string, MemoEntry>();

  constructor(
    private readonly direct: ReadonlyArray<readonly Term[] | null>,
    private readonly idsOf: (word: string) => number[],
    private readonly filter: WordFilter,
  ) {}

  link(slot: number, keys: readonly IndexKey[] | null): void {
    if (this.memo.size > 0) this.memo.clear();
    if (!keys) {
      this.always.add(slot);
      return;
    }
    for (const { table, key } of keys) {
      if (table === 'word') {
        addPosting(this.words, key, slot);
        this.filter.addStem(key);
      } else if (table === 'spaceless') addPosting(this.spaceless, key, slot);
      else {
        this.filter.addPrefix(key);
        const bucket = key.slice(0, BUCKET);
        let inner = this.prefixes.get(bucket);
        if (!inner) this.prefixes.set(bucket, (inner = new Map()));
        addPosting(inner, key, slot);
      }
    }
  }

  unlink(slot: number, keys: readonly IndexKey[] | null): void {
    if (this.memo.size > 0) this.memo.clear();
    if (!keys) {
      this.always.delete(slot);
      return;
    }
    for (const { table, key } of keys) {
      if (table === 'word') removePosting(this.words, key, slot);
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

  /** The memo entry of an item word (computed on first sight). */
  entry(w: string): MemoEntry {
    if (!this.filter.mayMatter(w)) return NONE;
    let entry = this.memo.get(w);
    if (entry === undefined) {
      entry = this.wordCandidates(w);
      if (this.memo.size >= MEMO_MAX) this.memo.clear();
      this.memo.set(w, entry);
    }
    return entry;
  }

  /** Every watch an item word can make a candidate: under the word, a singular it may be the plural of, or a prefix. */
  private wordCandidates(w: string): MemoEntry {
    const seen = new Set<number>();
    const general: number[] = [];
    const direct: number[] = [];
    const masks: number[] = [];
    const terms: number[] = [];
    const texts: string[] = [];
    const add = (list: number[] | undefined): void => {
      if (list === undefined) return;
      for (const slot of list) {
        if (seen.has(slot)) continue;
        seen.add(slot);
        const simple = this.direct[slot];
        if (!simple) {
          general.push(slot);
          continue;
        }
        for (const t of simple) {
          if (!acceptsWord(t, w)) continue;
          direct.push(slot);
          masks.push(t.fieldMask);
          terms.push(t.index);
          texts.push(t.text);
        }
      }
    };
    add(this.words.get(w));
    // The singulars a plural query word may stand for: "koreas" → korea, "boxes" → box, "armies" → army.
    if (w.length > 1 && w.endsWith('s')) {
      add(this.words.get(w.slice(0, -1)));
      if (w.endsWith('es')) add(this.words.get(w.slice(0, -2)));
      if (w.endsWith('ies')) add(this.words.get(`${w.slice(0, -3)}y`));
    }
    if (w.length >= BUCKET)
      this.prefixes.get(w.slice(0, BUCKET))?.forEach((slots, p) => w.startsWith(p) && add(slots));
    const ids = this.idsOf(w);
    if (seen.size === 0 && ids.length === 0) return NONE;
    const ints = (xs: number[]): Int32Array => (xs.length === 0 ? EMPTY : Int32Array.from(xs));
    return {
      ids: ints(ids),
      general: ints(general),
      direct: ints(direct),
      masks: ints(masks),
      terms: ints(terms),
      texts,
    };
  }
}
