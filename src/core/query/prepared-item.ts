import type { MatchInput, Segment } from './item-view.js';
import { segmentsOf } from './item-view.js';

/** Occurrences are encoded as segment * SEG_STRIDE + token position: one number, no allocation. */
export const SEG_STRIDE = 1 << 20;
/** Very long texts would overflow the position part of the encoding: segments past this are not searched. */
export const MAX_SEGS = Math.floor(Number.MAX_SAFE_INTEGER / SEG_STRIDE);

/**
 * An item normalised and tokenised once, shared by every watch. The word → occurrences table is built on
 * first use: gathering candidates walks the tokens, and many items need no verifier at all.
 */
export class PreparedItem {
  readonly segs: Segment[];
  private table: Map<string, number[]> | null = null;
  private readonly spaceless: number[] = [];

  constructor(item: MatchInput) {
    this.segs = segmentsOf(item);
  }

  /** Normalised word → encoded occurrences, in reading order (words of spaceless scripts are not here). */
  get byWord(): Map<string, number[]> {
    return this.table ?? this.group();
  }

  /** Segment indexes that hold spaceless-script tokens. */
  get spacelessSegs(): number[] {
    if (this.table === null) this.group();
    return this.spaceless;
  }

  private group(): Map<string, number[]> {
    const table = (this.table = new Map<string, number[]>());
    for (let s = 0; s < this.segs.length && s < MAX_SEGS; s++) {
      const toks = this.segs[s]!.tokens;
      let spaceless = false;
      const n = Math.min(toks.length, SEG_STRIDE);
      for (let p = 0; p < n; p++) {
        const t = toks[p]!;
        if (t.spaceless) {
          spaceless = true;
          continue;
        }
        const list = table.get(t.word);
        if (list) list.push(s * SEG_STRIDE + p);
        else table.set(t.word, [s * SEG_STRIDE + p]);
      }
      if (spaceless) this.spaceless.push(s);
    }
    return table;
  }
}
