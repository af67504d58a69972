import { words } from '../text/index.js';
import { isWireWord, parseWireAttribution } from './wire-attribution.js';

/**
 * Function words and newsroom boilerplate: they say nothing about which story an item tells, and two unrelated
 * stories share them all. Dropping them is what lets headlines written by different desks overlap enough.
 */
const STOP_WORDS = new Set(
  (
    'a an the and or but if of to in on at by for from with without into onto over under about after before ' +
    'as is are was were be been being has have had do does did will would shall should can could may might must ' +
    'it its this that these those there their they them he she his her him we our you your i me my not no ' +
    'than then so such also just more most less very up down out off again new says said say saying told tells ' +
    'according reported reports report officials official monday tuesday wednesday thursday friday saturday sunday ' +
    'today yesterday week weeks year years day days time one two three who what when where which while whose ' +
    'amid after its via per news update live latest breaking'
  ).split(' '),
);

/** How many words of the summary count as the lead: the first sentence or two carry the story's facts. */
export const LEAD_WORDS = 40;

/**
 * The features a story fingerprint is built from: the distinct content words of the title and the lead, normalised
 * as the matcher normalises (accents, case, "U.S." → us, possessives), with function words, wire credits and the
 * dateline removed. A crude suffix fold ("missiles" → missile) lets "launches"/"launch" agree across desks.
 */
export function storyFeatures(item: { title: string; summary: string; author?: string | null }): string[] {
  const { lead } = parseWireAttribution(item);
  const text = words(item.title).concat(words(lead, LEAD_WORDS));
  const out = new Set<string>();
  for (const w of text) {
    if (w.length < 2 && !/\d/.test(w)) continue;
    if (STOP_WORDS.has(w) || isWireWord(w)) continue;
    out.add(stem(w));
  }
  return [...out];
}

/** A light English suffix fold: enough for plurals and verb forms, never a full stemmer. */
export function stem(word: string): string {
  if (word.length <= 4 || /\d/.test(word)) return word;
  if (word.endsWith('ies')) return word.slice(0, -3) + 'y';
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (word.endsWith('es') && /(ch|sh|x|ss)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('ing') && word.length > 6) return word.slice(0, -3);
  if (word.endsWith('ed') && word.length > 5) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us')) return word.slice(0, -1);
  return word;
}
