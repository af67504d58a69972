import type { CompiledQuery, Term } from './ast.js';
import type { Hit, MatchInput } from './item-view.js';
import { compileQuery } from './parser.js';
import { PreparedItem, SEG_STRIDE } from './prepared-item.js';
import { acceptsWord, addOccurrences, directHits, directTerms, segmentFieldBits } from './direct-match.js';
import { indexKeys } from './presearch.js';
import type { IndexKey } from './presearch.js';
import { matchPrepared } from './query-verifier.js';

interface WatchRecord<Id> {
  readonly id: Id;
  readonly query: CompiledQuery;
  readonly keys: IndexKey[] | null;
  /** Insertion order, so results come back in the order watches were added. */
  readonly seq: number;
  /** Number of the last item this watch was gathered for: deduplicates candidates without a Set. */
  stamp: number;
  /** A paused watch stays in `records` but not in the postings. */
  paused: boolean;
  /** The simple terms of a direct watch (see direct-match.ts), else null. */
  readonly direct: readonly Term[] | null;
  /** Term texts by term index, kept on the record so that hits need not reach into the query. */
  readonly texts: readonly string[];
  /** Scratch for the current item: a direct watch's occurrence keys. */
  found: number[];
}

/**
 * What one item word brings: general watches to verify, and direct watches with the field mask and index
 * of the term the word satisfies (numbers side by side, so that no term object is read per item).
 */
interface MemoEntry<Id> {
  readonly general: WatchRecord<Id>[];
  readonly direct: WatchRecord<Id>[];
  readonly masks: number[];
  readonly termIndexes: number[];
}

type Postings<Id> = Map<string, WatchRecord<Id>[]>;

/** Bound on the word → candidates memo: a long-running process meets new words forever. */
const MEMO_MAX = 200_000;
const NONE: MemoEntry<never> = { general: [], direct: [], masks: [], termIndexes: [] };

/** Prefix tables are bucketed by their first 3 characters (the shortest prefix allowed). */
const BUCKET = 3;

function addPosting<Id>(map: Postings<Id>, key: string, rec: WatchRecord<Id>): void {
  const list = map.get(key);
  if (list) list.push(rec);
  else map.set(key, [rec]);
}

function removePosting<Id>(map: Postings<Id>, key: string, rec: WatchRecord<Id>): void {
  const list = map.get(key);
  if (!list) return;
  // Swap-remove: posting order does not matter, results are sorted by insertion order.
  const at = list.indexOf(rec);
  if (at >= 0) {
    list[at] = list[list.length - 1]!;
    list.pop();
  }
  if (list.length === 0) map.delete(key);
}

/**
 * Many watches indexed by their terms: for each item only the watches sharing a key with it are verified.
 * Adding, removing, pausing or resuming one watch touches only its own keys: the index is never rebuilt.
 */
export class WatchIndex<Id extends string | number = string> {
  private readonly records = new Map<Id, WatchRecord<Id>>();
  private readonly words: Postings<Id> = new Map();
  /** First 3 characters → full prefix → watches. */
  private readonly prefixes = new Map<string, Postings<Id>>();
  /** First character of a word of a script without spaces → watches. */
  private readonly spaceless: Postings<Id> = new Map();
  private readonly always = new Set<WatchRecord<Id>>();
  /**
   * Item word → the watches it makes candidates. News vocabulary repeats, so most words of an item are
   * answered by one look-up here instead of several in the postings and a walk over the prefix table.
   * Any change to the postings clears it.
   */
  private readonly memo = new Map<string, MemoEntry<Id>>();
  private stamp = 0;
  private seq = 0;

  get size(): number {
    return this.records.size;
  }

  has(id: Id): boolean {
    return this.records.has(id);
  }

  /** Adds a watch, replacing any watch with the same id. A string is compiled first (may throw QuerySyntaxError). */
  add(id: Id, query: CompiledQuery | string): void {
    const compiled = typeof query === 'string' ? compileQuery(query) : query;
    this.remove(id);
    const rec: WatchRecord<Id> = {
      id,
      query: compiled,
      keys: indexKeys(compiled),
      seq: this.seq++,
      stamp: 0,
      paused: false,
      direct: directTerms(compiled),
      texts: compiled.terms.map((t) => t.text),
      found: [],
    };
    this.records.set(id, rec);
    this.link(rec);
  }

  remove(id: Id): boolean {
    const rec = this.records.get(id);
    if (!rec) return false;
    this.records.delete(id);
    if (!rec.paused) this.unlink(rec);
    return true;
  }

  /**
   * Pauses or resumes a watch: a paused watch keeps its id and query but is never matched.
   * Returns false if there is no such watch.
   */
  setPaused(id: Id, paused: boolean): boolean {
    const rec = this.records.get(id);
    if (!rec) return false;
    if (rec.paused !== paused) {
      rec.paused = paused;
      if (paused) this.unlink(rec);
      else this.link(rec);
    }
    return true;
  }

  isPaused(id: Id): boolean {
    return this.records.get(id)?.paused ?? false;
  }

  private link(rec: WatchRecord<Id>): void {
    if (this.memo.size > 0) this.memo.clear();
    if (!rec.keys) {
      this.always.add(rec);
      return;
    }
    for (const { table, key } of rec.keys) {
      if (table === 'word') addPosting(this.words, key, rec);
      else if (table === 'spaceless') addPosting(this.spaceless, key, rec);
      else {
        const bucket = key.slice(0, BUCKET);
        let inner = this.prefixes.get(bucket);
        if (!inner) this.prefixes.set(bucket, (inner = new Map()));
        addPosting(inner, key, rec);
      }
    }
  }

  private unlink(rec: WatchRecord<Id>): void {
    if (this.memo.size > 0) this.memo.clear();
    if (!rec.keys) {
      this.always.delete(rec);
      return;
    }
    for (const { table, key } of rec.keys) {
      if (table === 'word') removePosting(this.words, key, rec);
      else if (table === 'spaceless') removePosting(this.spaceless, key, rec);
      else {
        const bucket = key.slice(0, BUCKET);
        const inner = this.prefixes.get(bucket);
        if (!inner) continue;
        removePosting(inner, key, rec);
        if (inner.size === 0) this.prefixes.delete(bucket);
      }
    }
  }

  /** Every matching watch with its hits, in the order watches were added. */
  match(item: MatchInput): Array<{ id: Id; hits: Hit[] }> {
    const prepared = new PreparedItem(item);
    const { general, direct } = this.candidates(prepared, true);
    const matched: Array<{ rec: WatchRecord<Id>; hits: Hit[] }> = [];
    for (const rec of direct) matched.push({ rec, hits: directHits(rec.texts, rec.found, prepared) });
    for (const rec of general) {
      const r = matchPrepared(rec.query, prepared);
      if (r.matched) matched.push({ rec, hits: r.hits });
    }
    if (matched.length > 1) matched.sort((a, b) => a.rec.seq - b.rec.seq);
    return matched.map((m) => ({ id: m.rec.id, hits: m.hits }));
  }

  /** How many watches the presearcher would verify for this item (a diagnostic for benchmarks). */
  candidateCount(item: MatchInput): number {
    const c = this.candidates(new PreparedItem(item), false);
    return c.general.length + c.direct.length;
  }

  /**
   * General candidates (to verify) and direct watches already known to match, with their occurrences in
   * `found` when `withHits`.
   */
  private candidates(
    item: PreparedItem,
    withHits: boolean,
  ): { general: WatchRecord<Id>[]; direct: WatchRecord<Id>[] } {
    const stamp = ++this.stamp;
    const general: WatchRecord<Id>[] = [];
    const direct: WatchRecord<Id>[] = [];
    const memo = this.memo;
    const words = item.words;
    const segBits = segmentFieldBits(item);
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      let entry = memo.get(w);
      if (entry === undefined) {
        entry = this.wordCandidates(w);
        if (memo.size >= MEMO_MAX) memo.clear();
        memo.set(w, entry);
      }
      collect(entry.general, stamp, general);
      const recs = entry.direct;
      if (recs.length === 0) continue;
      const occ = item.byWord.get(w)!;
      for (let j = 0; j < recs.length; j++) {
        const rec = recs[j]!;
        const mask = entry.masks[j]!;
        if (rec.stamp !== stamp) {
          if (!inFields(mask, occ, segBits)) continue;
          rec.stamp = stamp;
          direct.push(rec);
          if (!withHits) continue;
          rec.found = [];
        } else if (!withHits) continue;
        addOccurrences(mask, entry.termIndexes[j]!, occ, segBits, rec.found);
      }
    }
    if (this.spaceless.size > 0) {
      for (const s of item.spacelessSegs) {
        for (const t of item.segs[s]!.tokens) {
          if (t.spaceless) for (const ch of t.word) collect(this.spaceless.get(ch), stamp, general);
        }
      }
    }
    if (this.always.size > 0) collect([...this.always], stamp, general);
    return { general, direct };
  }

  /** Every watch an item word can make a candidate: under the word, a singular it may be the plural of, or a prefix. */
  private wordCandidates(w: string): MemoEntry<Id> {
    const seen = new Set<WatchRecord<Id>>();
    const entry: MemoEntry<Id> = { general: [], direct: [], masks: [], termIndexes: [] };
    const add = (list: WatchRecord<Id>[] | undefined): void => {
      if (list === undefined) return;
      for (const rec of list) {
        if (seen.has(rec)) continue;
        seen.add(rec);
        if (rec.direct === null) {
          entry.general.push(rec);
          continue;
        }
        for (const t of rec.direct) {
          if (!acceptsWord(t, w)) continue;
          entry.direct.push(rec);
          entry.masks.push(t.fieldMask);
          entry.termIndexes.push(t.index);
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
      this.prefixes.get(w.slice(0, BUCKET))?.forEach((recs, p) => w.startsWith(p) && add(recs));
    return seen.size === 0 ? NONE : entry;
  }
}

/** Whether some occurrence lies in a segment whose field is in `mask`. */
function inFields(mask: number, occ: readonly number[], segBits: readonly number[]): boolean {
  for (let i = 0; i < occ.length; i++)
    if ((segBits[Math.floor(occ[i]! / SEG_STRIDE)]! & mask) !== 0) return true;
  return false;
}

/** Appends the records of a posting list not yet gathered for this item (marked with its stamp). */
function collect<Id>(list: WatchRecord<Id>[] | undefined, stamp: number, out: WatchRecord<Id>[]): void {
  if (list === undefined) return;
  for (let i = 0; i < list.length; i++) {
    const rec = list[i]!;
    if (rec.stamp !== stamp) {
      rec.stamp = stamp;
      out.push(rec);
    }
  }
}
