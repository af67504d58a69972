export { parseWireAttribution, isWireWord, type WireAttribution } from './wire-attribution.js';
export { storyFeatures, stem, LEAD_WORDS } from './story-features.js';
export {
  minhash,
  similarity,
  mix32,
  signatureFromBytes,
  signatureToBytes,
  SIGNATURE_SIZE,
} from './minhash.js';
export { LshIndex, DEFAULT_SHAPE, type LshShape, type LshCandidate } from './lsh-index.js';
export {
  StoryIndex,
  DEFAULT_STORY_THRESHOLD,
  type StoryIndexOptions,
  type StoryMatch,
} from './story-index.js';
export { storyFingerprint, MIN_GROUPABLE_FEATURES, type StoryFingerprint } from './story-fingerprint.js';
export { titleChangedMaterially } from './title-change.js';
export { alsoReportedLines, type StoryReport } from './also-reported.js';
