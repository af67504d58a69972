import { describe, expect, it } from 'vitest';
import {
  LshIndex,
  minhash,
  similarity,
  signatureFromBytes,
  signatureToBytes,
  StoryIndex,
  storyFeatures,
  storyFingerprint,
  titleChangedMaterially,
} from '../../../src/core/story/index.js';
import { labelledItems, pairwiseScores } from '../../fixtures/stories/labelled-set.js';

const HOUR = 3600_000;

function cluster(threshold?: number): string[] {
  const index = new StoryIndex({ windowMs: 48 * HOUR, threshold });
  const at = new Date('2026-03-03T09:00:00Z');
  return labelledItems().map((item, i) => {
    const { signature } = storyFingerprint(item);
    const id = index.find(signature, at)?.storyId ?? `story-${i}`;
    index.add(id, signature, at);
    return id;
  });
}

describe('story grouping on the labelled fixture set', () => {
  it('groups every republished wire story and keeps same-topic stories apart at the default threshold', () => {
    const items = labelledItems();
    const scores = pairwiseScores(
      items.map((i) => i.story),
      cluster(),
    );
    expect(scores.truePairs).toBeGreaterThanOrEqual(20);
    expect(scores.precision).toBe(1);
    expect(scores.recall).toBe(1);
  });

  it('merges distinct NATO stories when the threshold is far too low, and splits stories when too high', () => {
    const labels = labelledItems().map((i) => i.story);
    expect(pairwiseScores(labels, cluster(0.15)).precision).toBeLessThan(1);
    expect(pairwiseScores(labels, cluster(0.6)).recall).toBeLessThan(0.6);
  });
});

describe('fingerprints', () => {
  it('estimates Jaccard similarity from MinHash signatures', () => {
    const a = ['nato', 'korea', 'ukraine', 'rutte', 'seoul', 'support', 'military', 'arms'];
    const b = ['nato', 'korea', 'ukraine', 'rutte', 'tank', 'poland', 'export', 'deal'];
    expect(similarity(minhash(a), minhash(a))).toBe(1);
    // Exact Jaccard 4/12 ≈ 0.33; 128 hashes estimate it within a few hundredths.
    expect(similarity(minhash(a), minhash(b))).toBeGreaterThan(0.18);
    expect(similarity(minhash(a), minhash(b))).toBeLessThan(0.5);
    expect(similarity(minhash(a), minhash(['weather', 'storm']))).toBeLessThan(0.1);
  });

  it('leaves bare templated headlines ungrouped, but not real wire items', () => {
    expect(
      storyFingerprint({ title: 'Quake 1 shakes the coast', summary: 'Quake number 1.' }).groupable,
    ).toBe(false);
    expect(labelledItems().every((item) => storyFingerprint(item).groupable)).toBe(true);
  });

  it('round-trips signatures through bytes', () => {
    const sig = minhash(['a', 'b', 'c']);
    expect([...signatureFromBytes(signatureToBytes(sig))]).toEqual([...sig]);
  });

  it('keeps 16 bits of each minimum, and reads signatures stored with all 32 as the same story', () => {
    const sig = minhash(['nato', 'korea', 'ukraine', 'support', 'seoul']);
    expect(sig.every((v) => v <= 0xffff)).toBe(true);
    // A row written before signatures were cut to 16 bits: same low bits, arbitrary high bits.
    const legacy = Uint32Array.from(sig, (v, i) => (v | ((i * 0x9e37 + 1) << 16)) >>> 0);
    expect(legacy.some((v) => v > 0xffff)).toBe(true);
    expect(signatureToBytes(sig).byteLength).toBe(2 * sig.length);
    const read = signatureFromBytes(new Uint8Array(legacy.buffer));
    expect([...read]).toEqual([...sig]);
    const index = new LshIndex<string>();
    index.add(1, 'stored', read);
    expect(index.query(sig, 0.99)).toEqual([{ key: 'stored', similarity: 1 }]);
  });

  it('refuses a signature wider than 16 bits: the index would store it cut and never find it again', () => {
    const index = new LshIndex<string>();
    const wide = minhash(['nato', 'korea']);
    wide[5] = 0x12345;
    expect(() => index.add(1, 'wide', wide)).toThrow(/exceeds 16 bits/);
    expect(index.size).toBe(0);
  });

  it('drops function words, wire credits and the dateline, and folds plurals', () => {
    const features = storyFeatures({
      title: 'N. Korea fires missiles',
      summary: 'SEOUL, March 3 (Yonhap) -- The missiles were fired on Tuesday, officials said.',
    });
    expect(features).toContain('missile');
    expect(features).toContain('fire');
    expect(features).not.toContain('yonhap');
    expect(features).not.toContain('seoul');
    expect(features).not.toContain('the');
    expect(features).not.toContain('tuesday');
  });

  it('tells a real development from a rewording of the headline', () => {
    const first = {
      title: 'NATO chief urges South Korea to send more military support to Ukraine',
      summary: 'NATO Secretary General Mark Rutte urged Seoul to step up military support for Ukraine.',
    };
    expect(
      titleChangedMaterially(first, { title: 'Rutte presses Seoul to send military support to Ukraine' }),
    ).toBe(false);
    expect(
      titleChangedMaterially(first, {
        title: 'NATO chief urges South Korea to help Ukraine; North Korea responds with threats',
      }),
    ).toBe(true);
  });
});

describe('LshIndex and StoryIndex', () => {
  it('finds an entry only through shared bands, and forgets removed entries', () => {
    const index = new LshIndex<string>();
    const sig = minhash(['nato', 'korea', 'ukraine', 'support']);
    index.add(1, 'story-1', sig);
    index.add(2, 'story-2', minhash(['football', 'league', 'final']));
    expect(index.query(sig, 0.5).map((c) => c.key)).toEqual(['story-1']);
    expect(index.remove(1)).toBe(true);
    expect(index.query(sig, 0.5)).toEqual([]);
    expect(index.size).toBe(1);
  });

  it('closes stories idle for longer than the window', () => {
    const index = new StoryIndex({ windowMs: 48 * HOUR });
    const sig = minhash(['nato', 'korea', 'ukraine', 'support', 'rutte']);
    const t0 = new Date('2026-03-01T00:00:00Z');
    index.add('s1', sig, t0);
    expect(index.find(sig, new Date(t0.getTime() + 47 * HOUR))?.storyId).toBe('s1');
    // Past the window the story no longer matches, even before it is evicted...
    expect(index.find(sig, new Date(t0.getTime() + 49 * HOUR))).toBeNull();
    // ...and eviction removes it from the index.
    expect(index.evict(new Date(t0.getTime() + 49 * HOUR))).toBe(1);
    expect(index.size).toBe(0);
  });

  it('keeps a story alive while new items join it', () => {
    const index = new StoryIndex({ windowMs: 48 * HOUR });
    const sig = minhash(['nato', 'korea', 'ukraine', 'support', 'rutte']);
    const t0 = new Date('2026-03-01T00:00:00Z');
    index.add('s1', sig, t0);
    index.add('s1', sig, new Date(t0.getTime() + 40 * HOUR));
    expect(index.evict(new Date(t0.getTime() + 60 * HOUR))).toBe(0);
    expect(index.find(sig, new Date(t0.getTime() + 60 * HOUR))?.storyId).toBe('s1');
  });
});
