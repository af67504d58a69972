import { minhash } from './minhash.js';
import { storyFeatures } from './story-features.js';
import { parseWireAttribution } from './wire-attribution.js';

/**
 * Items with fewer distinct content words than this are never grouped: a bare headline ("Quake 4 shakes the
 * coast") shares most of its few words with the next templated one, and the similarity of such short sets says
 * little. Real wire items (headline plus lead) have twenty or more.
 */
export const MIN_GROUPABLE_FEATURES = 8;

export interface StoryFingerprint {
  /** MinHash signature of the title and lead's content words. */
  signature: Uint32Array;
  /** Wire agency the item credits ("Reuters"), or null. */
  wire: string | null;
  /** Whether the item has enough text to be compared at all (see MIN_GROUPABLE_FEATURES). */
  groupable: boolean;
}

/** Everything story grouping needs from one item. */
export function storyFingerprint(item: {
  title: string;
  summary: string;
  author?: string | null;
}): StoryFingerprint {
  const features = storyFeatures(item);
  return {
    signature: minhash(features),
    wire: parseWireAttribution(item).wire,
    groupable: features.length >= MIN_GROUPABLE_FEATURES,
  };
}
