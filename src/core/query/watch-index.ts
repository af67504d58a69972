import type { CompiledQuery } from './ast.js';
import type { Hit, MatchInput } from './item-view.js';
import { compileQuery } from './parser.js';
import { ItemWords } from './item-words.js';
import { PreparedItem } from './prepared-item.js';
import { directTerms, segmentFieldBits } from './direct-match.js';
import { DirectFound } from './direct-found.js';
import { indexKeys } from './presearch.js';
import { FlatVerifier } from './flat-verifier.js';
import { matchPrepared } from './query-verifier.js';
import { RequiredWords } from './required-words.js';
import { IdSlots } from './id-slots.js';
import { inInsertionOrder } from './result-order.js';
import { WatchPostings } from './watch-postings.js';
import { WordFilter } from './word-filter.js';
import { grownToHold } from './typed-growth.js';
import { ChunkedList } from './chunked-list.js';

/**
 * Many watches indexed by their terms: for each item only the watches sharing a key with it are verified.
 * Adding, removing, pausing or resuming one watch touches only its own keys: the index is never rebuilt.
 *
 * Each watch owns a slot number; what the per-item loops read is kept in arrays indexed by slot (the
 * "already gathered for this item" stamps in an Int32Array), so that gathering candidates touches no watch
 * record and only the watches that match are ever looked at as objects.
 *
 * Nothing is stored per watch beyond its id, query and a few numbers: its index keys are computed again from
 * the query when it is unlinked (a GC-friendly trade: building 100,000 watches copies far less).
 */
export class WatchIndex<Id extends string | number = string> {
  /** Id → slot, where the watch's data lives in the index's flat arrays. */
  private readonly slotOf = new IdSlots<Id>();
  private readonly ids = new ChunkedList<Id>();
  private readonly queries = new ChunkedList<CompiledQuery>();
  /**
   * By slot: 1 for a direct watch (see direct-match.ts), whose simple terms are its query's terms. Flags, not
   * a list of the terms: no array of 100,000 pointers to grow (and copy) while watches are added.
   */
  private direct = new Uint8Array(256);
  /** By slot: insertion order, so results come back in the order watches were added. */
  private seqs = new Float64Array(256);
  /** By slot: number of the last item the watch was gathered for (deduplicates candidates without a Set). */
  private stamps = new Int32Array(256);
  /** By slot: 1 when paused (a paused watch keeps its slot but is not in the postings). */
  private paused = new Uint8Array(256);
  private readonly freeSlots: number[] = [];
  private slotCount = 0;
  private readonly filter = new WordFilter();
  private readonly required = new RequiredWords(this.filter);
  private readonly flat = new FlatVerifier(this.filter);
  private readonly postings = new WatchPostings(
    (slot) => (this.direct[slot] === 1 ? this.queries.get(slot)!.terms : null),
    (w) => this.required.idsOf(w),
    this.filter,
    (w) => this.flat.idsOf(w),
    (slot) => this.flat.programOf(slot),
  );
  /** Scratch filled by `candidates`: general slots with their flat programs (or -1), direct slots. */
  private readonly general: number[] = [];
  private readonly programs: number[] = [];
  private readonly directs: number[] = [];
  private readonly found = new DirectFound();
  /** The current item's word table, reused from item to item (matching is synchronous). */
  private readonly itemWords = new ItemWords();
  private segBits: Int32Array = new Int32Array(8);
  private stamp = 0;
  private seq = 0;
  /** Slots of the watches held (for RequiredWords' compaction). */
  private readonly liveSlots = (): Iterable<number> => this.slotOf.values();

  get size(): number {
    return this.slotOf.size;
  }

  has(id: Id): boolean {
    return this.slotOf.has(id);
  }

  /** Adds a watch, replacing any watch with the same id. A string is compiled first (may throw QuerySyntaxError). */
  add(id: Id, query: CompiledQuery | string): void {
    const compiled = typeof query === 'string' ? compileQuery(query) : query;
    this.remove(id);
    const slot = this.freeSlots.pop() ?? this.newSlot();
    const keys = indexKeys(compiled);
    this.ids.set(slot, id);
    this.queries.set(slot, compiled);
    this.direct[slot] = directTerms(compiled) === null ? 0 : 1;
    this.seqs[slot] = this.seq++;
    this.stamps[slot] = 0;
    this.paused[slot] = 0;
    this.slotOf.add(id, slot);
    // Before linking: linking clears the memo, whose entries carry the ids of query words.
    // Direct watches are never verified. General ones are verified by the flat verifier when it can (its
    // first check is as cheap as the required words'), else by `matchPrepared` after the required words.
    if (this.direct[slot] === 0 && !this.flat.set(slot, compiled, this.liveSlots)) {
      const only = keys?.count === 1 && keys.tables[0] === 'word' ? keys.keys[0]! : null;
      this.required.set(slot, compiled, only, this.liveSlots);
    }
    this.postings.link(slot, keys);
  }

  remove(id: Id): boolean {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return false;
    this.slotOf.delete(id);
    if (this.paused[slot] === 0) this.postings.unlink(slot, indexKeys(this.queries.get(slot)!));
    this.direct[slot] = 0;
    this.required.clear(slot);
    this.flat.clear(slot);
    this.freeSlots.push(slot);
    return true;
  }

  private newSlot(): number {
    const slot = this.slotCount++;
    this.stamps = grownToHold(this.stamps, slot);
    this.seqs = grownToHold(this.seqs, slot);
    this.paused = grownToHold(this.paused, slot);
    this.direct = grownToHold(this.direct, slot);
    return slot;
  }

  /**
   * Pauses or resumes a watch: a paused watch keeps its id and query but is never matched.
   * Returns false if there is no such watch.
   */
  setPaused(id: Id, paused: boolean): boolean {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return false;
    if ((this.paused[slot] === 1) !== paused) {
      this.paused[slot] = paused ? 1 : 0;
      const keys = indexKeys(this.queries.get(slot)!);
      if (paused) this.postings.unlink(slot, keys);
      else this.postings.link(slot, keys);
    }
    return true;
  }

  isPaused(id: Id): boolean {
    const slot = this.slotOf.get(id);
    return slot !== undefined && this.paused[slot] === 1;
  }

  /** Every matching watch with its hits, in the order watches were added. */
  match(item: MatchInput): Array<{ id: Id; hits: Hit[] }> {
    const prepared = new PreparedItem(item, this.itemWords);
    this.candidates(prepared, true);
    const { general, programs, directs: direct } = this;
    const slots: number[] = [];
    const hits: Hit[][] = [];
    for (const slot of direct) {
      slots.push(slot);
      hits.push(this.found.hits(slot, prepared));
    }
    const required = this.required;
    const stamp = this.stamp;
    const flat = this.flat;
    // The flat verifier reads only the item's word table, which leaves out the tokens of huge texts.
    const complete = prepared.words.complete;
    for (let g = 0; g < general.length; g++) {
      const slot = general[g]!;
      const program = programs[g]!;
      if (program >= 0) {
        if (complete) {
          const found = flat.verify(program);
          if (found === null) continue;
          slots.push(slot);
          hits.push(found);
          continue;
        }
      } else if (!required.passes(slot, stamp)) continue;
      const r = matchPrepared(this.queries.get(slot)!, prepared);
      if (!r.matched) continue;
      slots.push(slot);
      hits.push(r.hits);
    }
    return inInsertionOrder(slots, hits, this.seqs, this.ids);
  }

  /** How many watches the presearcher would verify for this item (a diagnostic for benchmarks). */
  candidateCount(item: MatchInput): number {
    this.candidates(new PreparedItem(item, this.itemWords), false);
    return this.general.length + this.directs.length;
  }

  /**
   * Gathers the slots of general candidates (to verify, with their programs) and of direct watches already
   * known to match, with their occurrences in `this.found` when `withHits`.
   */
  private candidates(item: PreparedItem, withHits: boolean): void {
    const stamp = this.nextStamp();
    const stamps = this.stamps;
    const { general, programs, directs: direct } = this;
    // Setting an array's length is a call into the runtime: most items leave these short.
    while (general.length > 0) general.pop();
    while (programs.length > 0) programs.pop();
    while (direct.length > 0) direct.pop();
    const postings = this.postings;
    const found = this.found;
    found.reset(this.slotCount);
    const segBits = (this.segBits = segmentFieldBits(item, this.segBits));
    const present = this.required.present;
    const flat = this.flat;
    flat.begin(item, stamp, segBits);
    // Distinct word by distinct word: the filter and the memo are asked once per word, not per token.
    const table = item.words;
    const { words, hashes, firsts, nexts, segOf, codes } = table;
    for (let d = 0; d < table.count; d++) {
      let i = postings.entry(words[d]!, hashes[d]!);
      if (i < 0) continue;
      const arena = postings.arena;
      const texts = postings.texts;
      for (let end = i + 1 + arena[i]!; ++i < end;) present[arena[i]!] = stamp;
      for (let end = i + 1 + 2 * arena[i]!; ++i < end; i++) {
        const slot = arena[i]!;
        if (stamps[slot] !== stamp) {
          stamps[slot] = stamp;
          general.push(slot);
          programs.push(arena[i + 1]!);
        }
      }
      for (let end = i + 1 + 4 * arena[i]!; ++i < end; i += 3) {
        const slot = arena[i]!;
        const mask = arena[i + 1]!;
        for (let o = firsts[d]!; o >= 0; o = nexts[o]!) {
          if ((segBits[segOf[o]!]! & mask) === 0) continue;
          if (stamps[slot] !== stamp) {
            stamps[slot] = stamp;
            direct.push(slot);
            if (!withHits) break;
            found.start(slot);
          }
          if (withHits) found.add(slot, arena[i + 2]!, texts[arena[i + 3]!]!, codes[o]!);
        }
      }
      for (let end = i + 1 + 2 * arena[i]!; ++i < end; i++) flat.link(d, arena[i]!, arena[i + 1]!);
    }
    if (postings.spaceless.size > 0) {
      for (const s of item.spacelessSegs) {
        for (const t of item.segs[s]!.tokens) {
          if (t.spaceless) for (const ch of t.word) this.collect(postings.spaceless.get(ch), stamp);
        }
      }
    }
    if (postings.always.size > 0) this.collect([...postings.always], stamp);
  }

  /** Adds the slots of a posting list not yet gathered for this item (marked with its stamp) to `general`. */
  private collect(list: ArrayLike<number> | undefined, stamp: number): void {
    if (list === undefined) return;
    for (let i = 0; i < list.length; i++) {
      const slot = list[i]!;
      if (this.stamps[slot] !== stamp) {
        this.stamps[slot] = stamp;
        this.general.push(slot);
        this.programs.push(this.flat.programOf(slot));
      }
    }
  }

  private nextStamp(): number {
    // Int32 stamps wrap after 2^31 items: start over, clearing every slot's stamp.
    if (this.stamp >= 0x7fffffff) {
      this.stamps.fill(0);
      this.required.present.fill(0);
      this.stamp = 0;
    }
    return ++this.stamp;
  }
}
