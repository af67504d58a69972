import { storyFeatures } from './story-features.js';

/**
 * Whether a later item's headline says something the first one did not ("…; North Korea responds"): at least
 * `minNewWords` content words of its title are absent from the first title and lead. A rewording by another desk
 * mostly reuses the story's words; a development adds new ones.
 */
export function titleChangedMaterially(
  first: { title: string; summary: string },
  later: { title: string },
  minNewWords = 2,
): boolean {
  const known = new Set(storyFeatures(first));
  const added = storyFeatures({ title: later.title, summary: '' }).filter((w) => !known.has(w));
  return added.length >= minNewWords;
}
