import type { CompiledQuery } from './ast.js';
import type { Hit, MatchInput } from './item-view.js';
import { compileQuery } from './parser.js';
import { PreparedItem } from './prepared-item.js';
import { PREFIX_KEY_LENGTH, indexKeys } from './presearch.js';
import type { IndexKey, IndexTable } from './presearch.js';
import { matchPrepared } from './query-verifier.js';
import { lookupKeys } from './term-match.js';

interface WatchRecord<Id> {
  readonly id: Id;
  readonly query: CompiledQuery;
  readonly keys: IndexKey[] | null;
  /** Insertion order, so results come back in the order watches were added. */
  readonly seq: number;
  /** Number of the last item this watch was gathered for: deduplicates candidates without a Set. */
  stamp: number;
}

/**
 * Many watches indexed by their terms: for each item only the watches sharing a key with it are verified.
 * Adding or removing one watch touches only its own keys (pausing a watch is removing it and adding it back).
 */
export class WatchIndex<Id extends string | number = string> {
  private readonly records = new Map<Id, WatchRecord<Id>>();
  private readonly tables: Record<IndexTable, Map<string, WatchRecord<Id>[]>> = {
    word: new Map(),
    prefix: new Map(),
    spaceless: new Map(),
  };
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
      const map = this.tables[table];
      const list = map.get(key);
      if (list) list.push(rec);
      else map.set(key, [rec]);
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
      const list = this.tables[table].get(key);
      if (!list) continue;
      // Swap-remove: posting order does not matter, results are sorted by insertion order.
      const at = list.indexOf(rec);
      if (at >= 0) {
        list[at] = list[list.length - 1]!;
        list.pop();
      }
      if (list.length === 0) this.tables[table].delete(key);
    }
    return true;
  }

  /** Every matching watch with its hits, in the order watches were added. */
  match(item: MatchInput): Array<{ id: Id; hits: Hit[] }> {
    const prepared = new PreparedItem(item);
    const candidates = this.candidates(prepared);
    const matched: Array<{ rec: WatchRecord<Id>; hits: Hit[] }> = [];
    for (const rec of candidates) {
      const r = matchPrepared(rec.query, prepared);
      if (r.matched) matched.push({ rec, hits: r.hits });
    }
    if (matched.length > 1) matched.sort((a, b) => a.rec.seq - b.rec.seq);
    return matched.map((m) => ({ id: m.rec.id, hits: m.hits }));
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
    const { word, prefix, spaceless } = this.tables;
    for (const w of item.byWord.keys()) {
      for (const key of lookupKeys(w)) take(word.get(key));
      if (prefix.size > 0 && w.length >= PREFIX_KEY_LENGTH) take(prefix.get(w.slice(0, PREFIX_KEY_LENGTH)));
    }
    if (spaceless.size > 0) {
      for (const s of item.spacelessSegs) {
        for (const t of item.segs[s]!.tokens)
          if (t.spaceless) for (const ch of t.word) take(spaceless.get(ch));
      }
    }
    take(this.always);
    return out;
  }
}
