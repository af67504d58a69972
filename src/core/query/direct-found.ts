import type { Hit } from './item-view.js';
import { SEG_STRIDE } from './prepared-item.js';
import type { PreparedItem } from './prepared-item.js';

/**
 * The occurrences that direct watches (see direct-match.ts) accept in the current item, kept as one linked
 * list per watch slot in flat arrays. The arrays are reused from item to item: WatchIndex.match is
 * synchronous and single-threaded, so one item is collected and turned into hits before the next starts,
 * and reusing them spares the collector an allocation per candidate.
 */
export class DirectFound {
  /** Per watch slot: the last entry added for it (valid only for slots started for the current item). */
  private head = new Int32Array(256);
  /** Per entry: occurrence code (as in PreparedItem), term index, term text, previous entry of the slot. */
  private readonly codes: number[] = [];
  private readonly terms: number[] = [];
  private readonly texts: string[] = [];
  private readonly next: number[] = [];
  private count = 0;
  /** Scratch for one slot's entries while its hits are built. */
  private readonly order: number[] = [];

  /** Forgets the previous item's entries. */
  reset(slots: number): void {
    this.count = 0;
    if (this.head.length < slots) this.head = new Int32Array(Math.max(slots, this.head.length * 2));
  }

  /** Starts the list of a slot that became a match for the current item. */
  start(slot: number): void {
    this.head[slot] = -1;
  }

  /** Adds one occurrence (encoded as in PreparedItem) of a term of the slot. */
  add(slot: number, term: number, text: string, code: number): void {
    const e = this.count++;
    this.codes[e] = code;
    this.terms[e] = term;
    this.texts[e] = text;
    this.next[e] = this.head[slot]!;
    this.head[slot] = e;
  }

  /** The slot's hits in reading order (by occurrence, then term order), one per word and term text. */
  hits(slot: number, item: PreparedItem): Hit[] {
    const order = this.order;
    let n = 0;
    for (let e = this.head[slot]!; e >= 0; e = this.next[e]!) order[n++] = e;
    // Setting an array's length is a call into the runtime: only when it changes.
    if (order.length !== n) order.length = n;
    if (n > 1) {
      const codes = this.codes;
      const terms = this.terms;
      order.sort((a, b) => codes[a]! - codes[b]! || terms[a]! - terms[b]!);
    }
    const hits: Hit[] = [];
    let prevCode = -1;
    let prevText = '';
    for (let i = 0; i < n; i++) {
      const e = order[i]!;
      const code = this.codes[e]!;
      const text = this.texts[e]!;
      // Two terms with the same text on the same word ("korea OR korea") report it once.
      if (code === prevCode && text === prevText) continue;
      prevCode = code;
      prevText = text;
      const s = Math.floor(code / SEG_STRIDE);
      const seg = item.segs[s]!;
      const tok = seg.tokens[code - s * SEG_STRIDE]!;
      const hit: Hit = {
        term: text,
        field: seg.field,
        start: tok.start,
        end: tok.end,
        text: seg.original.slice(tok.start, tok.end),
      };
      if (seg.part) hit.part = seg.part;
      if (seg.index >= 0) hit.index = seg.index;
      hits.push(hit);
    }
    return hits;
  }
}
