import type { MatchInput, Segment } from './item-view.js';
import { segmentsOf } from './item-view.js';

/** Occurrences are encoded as segment * SEG_STRIDE + token position: one number, no allocation. */
export const SEG_STRIDE = 1 << 20;

/** An item normalised and tokenised once, with a word → occurrences table shared by every watch. */
export class PreparedItem {
  readonly segs: Segment[];
  /** Normalised word → encoded occurrences, in reading order (words of spaceless scripts are not here). */
  readonly byWord = new Map<string, number[]>();
  /** The keys of `byWord`, as an array (faster to walk than the map). */
  readonly words: string[] = [];
  /** The values of `byWord`, parallel to `words`. */
  readonly occs: number[][] = [];
  /** Segment indexes that hold spaceless-script tokens. */
  readonly spacelessSegs: number[] = [];

  constructor(item: MatchInput) {
    this.segs = segmentsOf(item);
    // Very long texts would overflow the position part of the encoding; words past it are not searched.
    const maxSegs = Math.floor(Number.MAX_SAFE_INTEGER / SEG_STRIDE);
    for (let s = 0; s < this.segs.length && s < maxSegs; s++) {
      const toks = this.segs[s]!.tokens;
      let spaceless = false;
      const n = Math.min(toks.length, SEG_STRIDE);
      for (let p = 0; p < n; p++) {
        const t = toks[p]!;
        if (t.spaceless) {
          spaceless = true;
          continue;
        }
        const list = this.byWord.get(t.word);
        if (list) list.push(s * SEG_STRIDE + p);
        else {
          const fresh = [s * SEG_STRIDE + p];
          this.byWord.set(t.word, fresh);
          this.words.push(t.word);
          this.occs.push(fresh);
        }
      }
      if (spaceless) this.spacelessSegs.push(s);
    }
  }
}
