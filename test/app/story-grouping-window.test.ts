import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type SqliteStore } from '../../src/adapters/sqlite/sqlite-store.js';
import { StoryGrouping } from '../../src/app/story-grouping.js';

const NOW = new Date('2026-03-03T08:00:00Z');
const HOUR = 3600_000;
const story = {
  title: 'NATO chief urges South Korea to send more military support to Ukraine',
  summary:
    "SEOUL (Reuters) - NATO Secretary General Mark Rutte on Tuesday urged South Korea to step up military support for Ukraine, saying Seoul's arms industry could help Kyiv hold the front line.",
  author: null,
};

describe('story grouping window', () => {
  let store: SqliteStore;
  afterEach(() => store.close());

  it('leaves items published before the window out of stories, but still reads their wire credit', () => {
    store = openStore(':memory:', { now: () => NOW });
    const grouping = new StoryGrouping(store, { windowMs: 48 * HOUR, followUps: false });
    const archived = grouping.assign(
      1,
      { ...story, key: 'a', published: new Date(NOW.getTime() - 72 * HOUR) },
      NOW,
    );
    expect(archived).toEqual({ storyId: null, wire: 'Reuters' });
    expect(grouping.size).toBe(0);

    // Within the window (or undated) the same text founds a story, and a copy joins it.
    const fresh = grouping.assign(1, { ...story, key: 'b', published: new Date(NOW.getTime() - HOUR) }, NOW);
    expect(fresh).toMatchObject({ isNew: true, wire: 'Reuters' });
    const copy = grouping.assign(2, { ...story, key: 'c', published: null }, NOW);
    expect(copy).toMatchObject({ isNew: false, storyId: fresh.storyId });
    expect(grouping.size).toBe(1);
  });
});
