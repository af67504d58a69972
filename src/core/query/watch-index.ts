import type { CompiledQuery } from './ast.js';
import type { Hit, MatchInput } from './item-view.js';
import { compileQuery } from './parser.js';
import { PreparedItem } from './prepared-item.js';
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
}

type Postings<Id> = Map<string, WatchRecord<Id>[]>;

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
 * Adding or removing one watch touches only its own keys (pausing a watch is removing it and adding it back).
 */
export class WatchIndex<Id extends string | number = string> {
  private readonly records = new Map<Id, WatchRecord<Id>>();
  private readonly words: Postings<Id> = new Map();
  /** First 3 characters → full prefix → watches. */
  private readonly prefixes = new Map<string, Postings<Id>>();
  /** First character of a word of a script without spaces → watches. */
  private readonly spaceless: Postings<Id> = new Map();
  private readonly always = new Set<WatchRecord<Id>>();
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
    };
    this.records.set(id, rec);
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

  remove(id: Id): boolean {
    const rec = this.records.get(id);
    if (!rec) return false;
    this.records.delete(id);
    if (!rec.keys) {
      this.always.delete(rec);
      return true;
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
    return true;
  }

  /** Every matching watch with its hits, in the order watches were added. */
  match(item: MatchInput): Array<{ id: Id; hits: Hit[] }> {
    const prepared = new PreparedItem(item);
    const matched: Array<{ rec: WatchRecord<Id>; hits: Hit[] }> = [];
    for (const rec of this.candidates(prepared)) {
      const r = matchPrepared(rec.query, prepared);
      if (r.matched) matched.push({ rec, hits: r.hits });
    }
    if (matched.length > 1) matched.sort((a, b) => a.rec.seq - b.rec.seq);
    return matched.map((m) => ({ id: m.rec.id, hits: m.hits }));
  }

  /** How many watches the presearcher would verify for this item (a diagnostic for benchmarks). */
  candidateCount(item: MatchInput): number {
    return this.candidates(new PreparedItem(item)).length;
  }

  private candidates(item: PreparedItem): WatchRecord<Id>[] {
    const stamp = ++this.stamp;
    const out: WatchRecord<Id>[] = [];
    const take = (list: Iterable<WatchRecord<Id>> | undefined): void => {
      if (!list) return;
      for (const rec of list) {
        if (rec.stamp === stamp) continue;
        rec.stamp = stamp;
        out.push(rec);
      }
    };
    const words = this.words;
    const prefixes = this.prefixes.size > 0 ? this.prefixes : null;
    for (const w of item.byWord.keys()) {
      take(words.get(w));
      // The singulars a plural query word may stand for: "koreas" → korea, "boxes" → box, "armies" → army.
      if (w.length > 1 && w.charCodeAt(w.length - 1) === 115) {
        take(words.get(w.slice(0, -1)));
        if (w.endsWith('es')) take(words.get(w.slice(0, -2)));
        if (w.endsWith('ies')) take(words.get(`${w.slice(0, -3)}y`));
      }
      if (prefixes && w.length >= BUCKET) {
        const inner = prefixes.get(w.slice(0, BUCKET));
        if (inner) for (const [p, recs] of inner) if (w.startsWith(p)) take(recs);
      }
    }
    if (this.spaceless.size > 0) {
      for (const s of item.spacelessSegs) {
        for (const t of item.segs[s]!.tokens)
          if (t.spaceless) for (const ch of t.word) take(this.spaceless.get(ch));
      }
    }
    take(this.always);
    return out;
  }
}
