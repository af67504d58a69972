/**
 * Story grouping benchmark: `npm run bench:stories`.
 *
 * 1. Precision and recall (pairwise) on the labelled fixture set across thresholds.
 * 2. Throughput of fingerprint + LSH look-up + insert with 50,000 stories in the window: items that retell a stored
 *    story in other words, and items of new stories, as a poll brings them. Pure core code; SQLite writes are the
 *    poll transaction's and are measured by bench:poll.
 */
import { DEFAULT_STORY_THRESHOLD, StoryIndex, storyFingerprint } from '../src/core/story/index.js';
import { labelledItems, pairwiseScores } from '../test/fixtures/stories/labelled-set.js';

const STORIES = Number(process.env.STORIES ?? 50_000);
const PROBES = Number(process.env.PROBES ?? 20_000);
const HOUR = 3600_000;

// Deterministic PRNG so runs compare.
let state = 0x2545f491;
const rand = (): number => {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return (state >>> 0) / 0x100000000;
};

function qualitySweep(): void {
  const items = labelledItems();
  const labels = items.map((i) => i.story);
  console.log(`fixture set: ${items.length} items, ${new Set(labels).size} stories`);
  for (const t of [0.25, 0.3, 0.32, DEFAULT_STORY_THRESHOLD, 0.36, 0.4, 0.45]) {
    const index = new StoryIndex({ windowMs: 48 * HOUR, threshold: t });
    const at = new Date(0);
    const predicted = items.map((item, i) => {
      const { signature } = storyFingerprint(item);
      const id = index.find(signature, at)?.storyId ?? `s${i}`;
      index.add(id, signature, at);
      return id;
    });
    const s = pairwiseScores(labels, predicted);
    const mark = t === DEFAULT_STORY_THRESHOLD ? '  ← default' : '';
    console.log(
      `  threshold ${t.toFixed(2)}: precision ${s.precision.toFixed(3)}  recall ${s.recall.toFixed(3)}${mark}`,
    );
  }
}

// A Zipf-ish vocabulary: a few common news words, a long tail of names and specifics.
const VOCAB = Array.from({ length: 20_000 }, (_, i) => `w${i.toString(36)}`);
const word = (): string => VOCAB[Math.floor(VOCAB.length * rand() ** 2)] as string;

function story(): { title: string; summary: string } {
  const title = Array.from({ length: 9 }, word).join(' ');
  const summary = Array.from({ length: 30 }, word).join(' ');
  return { title, summary };
}

/** Another desk's version: a new headline from the same words, a quarter of the lead reworded. */
function retell(s: { title: string; summary: string }): { title: string; summary: string } {
  const lead = s.summary.split(' ').map((w) => (rand() < 0.25 ? word() : w));
  const title = s.title
    .split(' ')
    .filter(() => rand() < 0.7)
    .concat([word(), word()])
    .join(' ');
  return { title, summary: lead.join(' ') };
}

function throughput(): void {
  const index = new StoryIndex({ windowMs: 48 * HOUR });
  const start = new Date('2026-03-01T00:00:00Z').getTime();
  const stored: Array<{ title: string; summary: string }> = [];
  const t0 = performance.now();
  for (let i = 0; i < STORIES; i++) {
    const s = story();
    stored.push(s);
    index.add(`s${i}`, storyFingerprint(s).signature, new Date(start + (i / STORIES) * 40 * HOUR));
  }
  const loadMs = performance.now() - t0;
  console.log(`\nindex: ${index.size} stories loaded in ${loadMs.toFixed(0)} ms`);

  const probes = Array.from({ length: PROBES }, (_, i) =>
    i % 2 === 0
      ? {
          item: retell(stored[Math.floor(rand() * stored.length)] as { title: string; summary: string }),
          fresh: false,
        }
      : { item: story(), fresh: true },
  );
  const at = new Date(start + 41 * HOUR);
  let joined = 0;
  let falseJoins = 0;
  const t1 = performance.now();
  probes.forEach((p, i) => {
    const { signature } = storyFingerprint(p.item);
    const match = index.find(signature, at);
    if (match && !p.fresh) joined++;
    if (match && p.fresh) falseJoins++;
    index.add(match?.storyId ?? `p${i}`, signature, at);
  });
  const ms = performance.now() - t1;
  console.log(
    `grouping: ${PROBES} items in ${ms.toFixed(0)} ms → ${Math.round((PROBES / ms) * 1000).toLocaleString('en')} items/s` +
      ` (fingerprint + LSH look-up + insert, ${index.size} stories in the window)`,
  );
  console.log(
    `  retold stories joined: ${((joined / (PROBES / 2)) * 100).toFixed(1)}%;` +
      ` new stories wrongly joined: ${((falseJoins / (PROBES / 2)) * 100).toFixed(2)}%`,
  );
}

qualitySweep();
throughput();
