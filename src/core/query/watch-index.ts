import type { CompiledQuery, Term } from './ast.js';
import type { Hit, MatchInput } from './item-view.js';
import { compileQuery } from './parser.js';
import { MAX_SEGS, PreparedItem, SEG_STRIDE } from './prepared-item.js';
import { directTerms, segmentFieldBits } from './direct-match.js';
import { DirectFound } from './direct-found.js';
import { indexKeys } from './presearch.js';
import { matchPrepared } from './query-verifier.js';
import { RequiredWords } from './required-words.js';
import { WatchPostings } from './watch-postings.js';
import { WordFilter } from './word-filter.js';

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
  private readonly slotOf = new Map<Id, number>();
  private readonly ids: Id[] = [];
  private readonly queries: CompiledQuery[] = [];
  /** By slot: the simple terms of a direct watch (see direct-match.ts), else null. */
  private readonly direct: Array<readonly Term[] | null> = [];
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
  private readonly postings = new WatchPostings(this.direct, (w) => this.required.idsOf(w), this.filter);
  private readonly found = new DirectFound();
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
    this.ids[slot] = id;
    this.queries[slot] = compiled;
    this.direct[slot] = directTerms(compiled);
    this.seqs[slot] = this.seq++;
    this.stamps[slot] = 0;
    this.paused[slot] = 0;
    this.slotOf.set(id, slot);
    // Before linking: linking clears the memo, whose entries carry the ids of query words.
    // Direct watches are never verified: only general ones need required words.
    if (this.direct[slot] === null) {
      const only = keys?.length === 1 && keys[0]!.table === 'word' ? keys[0]!.key : null;
      this.required.set(slot, compiled, only, this.liveSlots);
    }
    this.postings.link(slot, keys);
  }

  remove(id: Id): boolean {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return false;
    this.slotOf.delete(id);
    if (this.paused[slot] === 0) this.postings.unlink(slot, indexKeys(this.queries[slot]!));
    this.direct[slot] = null;
    this.required.clear(slot);
    this.freeSlots.push(slot);
    return true;
  }

  private newSlot(): number {
    const slot = this.slotCount++;
    if (slot >= this.stamps.length) {
      const stamps = new Int32Array(this.stamps.length * 2);
      stamps.set(this.stamps);
      this.stamps = stamps;
      const seqs = new Float64Array(this.seqs.length * 2);
      seqs.set(this.seqs);
      this.seqs = seqs;
      const paused = new Uint8Array(this.paused.length * 2);
      paused.set(this.paused);
      this.paused = paused;
    }
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
      const keys = indexKeys(this.queries[slot]!);
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
    const prepared = new PreparedItem(item);
    const { general, direct } = this.candidates(prepared, true);
    const slots: number[] = [];
    const hits: Hit[][] = [];
    for (const slot of direct) {
      slots.push(slot);
      hits.push(this.found.hits(slot, prepared));
    }
    const required = this.required;
    const stamp = this.stamp;
    for (const slot of general) {
      if (!required.passes(slot, stamp)) continue;
      const r = matchPrepared(this.queries[slot]!, prepared);
      if (!r.matched) continue;
      slots.push(slot);
      hits.push(r.hits);
    }
    const n = slots.length;
    const out: Array<{ id: Id; hits: Hit[] }> = new Array<{ id: Id; hits: Hit[] }>(n);
    if (n === 0) return out;
    // One numeric sort of seq * n + position (exact while below 2^53: about 2^53 / n watches ever added).
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = this.seqs[slots[i]!]! * n + i;
    if (n > 1) keys.sort();
    for (let k = 0; k < n; k++) {
      // Not `% n`: on doubles that is a call to fmod, slower than a division (which may round up: then i < 0).
      const key = keys[k]!;
      let i = key - Math.floor(key / n) * n;
      if (i < 0) i += n;
      out[k] = { id: this.ids[slots[i]!]!, hits: hits[i]! };
    }
    return out;
  }

  /** How many watches the presearcher would verify for this item (a diagnostic for benchmarks). */
  candidateCount(item: MatchInput): number {
    const c = this.candidates(new PreparedItem(item), false);
    return c.general.length + c.direct.length;
  }

  /**
   * Slots of general candidates (to verify) and of direct watches already known to match, with their
   * occurrences in `this.found` when `withHits`.
   */
  private candidates(item: PreparedItem, withHits: boolean): { general: number[]; direct: number[] } {
    const stamp = this.nextStamp();
    const stamps = this.stamps;
    const general: number[] = [];
    const direct: number[] = [];
    const postings = this.postings;
    const found = this.found;
    found.reset(this.slotCount);
    const segs = item.segs;
    const segBits = segmentFieldBits(item);
    const present = this.required.present;
    // Token by token, not word by word: most words are turned away by the postings' filter before any map
    // look-up, so grouping the item's words first would cost more than it saves.
    for (let s = 0; s < segs.length && s < MAX_SEGS; s++) {
      const toks = segs[s]!.tokens;
      const bits = segBits[s]!;
      const n = Math.min(toks.length, SEG_STRIDE);
      for (let p = 0; p < n; p++) {
        const t = toks[p]!;
        if (t.spaceless) continue;
        const entry = postings.entry(t.word);
        const ids = entry.ids;
        for (let k = 0; k < ids.length; k++) present[ids[k]!] = stamp;
        collect(entry.general, stamp, stamps, general);
        const slots = entry.direct;
        for (let j = 0; j < slots.length; j++) {
          const mask = entry.masks[j]!;
          if ((bits & mask) === 0) continue;
          const slot = slots[j]!;
          if (stamps[slot] !== stamp) {
            stamps[slot] = stamp;
            direct.push(slot);
            if (withHits) found.start(slot);
          }
          if (withHits) found.add(slot, entry.terms[j]!, entry.texts[j]!, s * SEG_STRIDE + p);
        }
      }
    }
    if (postings.spaceless.size > 0) {
      for (const s of item.spacelessSegs) {
        for (const t of item.segs[s]!.tokens) {
          if (t.spaceless)
            for (const ch of t.word) collect(postings.spaceless.get(ch), stamp, stamps, general);
        }
      }
    }
    if (postings.always.size > 0) collect([...postings.always], stamp, stamps, general);
    return { general, direct };
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

/** Appends the slots of a posting list not yet gathered for this item (marked with its stamp). */
function collect(
  list: ArrayLike<number> | undefined,
  stamp: number,
  stamps: Int32Array,
  out: number[],
): void {
  if (list === undefined) return;
  for (let i = 0; i < list.length; i++) {
    const slot = list[i]!;
    if (stamps[slot] !== stamp) {
      stamps[slot] = stamp;
      out.push(slot);
    }
  }
}
