import type { MatchInput, Segment } from './item-view.js';
import { segmentsOf } from './item-view.js';
import { ItemWords } from './item-words.js';

export { MAX_SEGS, SEG_STRIDE } from './item-words.js';

/**
 * An item normalised and tokenised once, shared by every watch, with its table of distinct words and
 * their occurrences. `words` may be a table reused from the previous item (the index owns one): the
 * prepared item is then valid only until the next one is prepared with it.
 */
export class PreparedItem {
  readonly segs: Segment[];
  readonly words: ItemWords;

  constructor(item: MatchInput, words: ItemWords = new ItemWords()) {
    this.segs = segmentsOf(item);
    words.fill(this.segs);
    this.words = words;
  }

  /** Segment indexes that hold spaceless-script tokens. */
  get spacelessSegs(): readonly number[] {
    return this.words.spacelessSegs;
  }
}
