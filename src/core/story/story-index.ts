import { DEFAULT_SHAPE, LshIndex, type LshShape } from './lsh-index.js';

/**
 * Estimated Jaccard similarity (title + lead content words) at or above which an item joins a story. Tuned on
 * test/fixtures/stories/labelled-stories.json: the same story from different desks scores 0.38–0.68 there, and
 * different same-day stories on one topic at most 0.30 (exact Jaccard); `npm run bench:stories` prints the sweep.
 */
export const DEFAULT_STORY_THRESHOLD = 0.33;

/** Items of one story kept in the index: enough to follow a story as desks rewrite it, bounded for big stories. */
const MAX_INDEXED_MEMBERS = 8;

export interface StoryIndexOptions {
  threshold?: number;
  /** Stories with no new item for this long are forgotten (the "last 48 hours"). */
  windowMs: number;
  shape?: LshShape;
}

export interface StoryMatch {
  storyId: string;
  similarity: number;
}

interface StoryState {
  lastSeenMs: number;
  /** Its LSH entries: most stories have one item, kept as a bare number rather than a one-element array. */
  entries: number | number[];
}

/**
 * The stories of the recent window, searchable by MinHash signature through an LSH band index. An item joins the
 * most similar story above the threshold; stories idle for longer than the window are evicted oldest first (the
 * map keeps stories in order of last activity, so eviction never scans the live ones).
 */
export class StoryIndex {
  readonly threshold: number;
  private readonly lsh: LshIndex<string>;
  private readonly stories = new Map<string, StoryState>();
  private nextEntry = 1;

  constructor(private readonly options: StoryIndexOptions) {
    this.threshold = options.threshold ?? DEFAULT_STORY_THRESHOLD;
    this.lsh = new LshIndex<string>(options.shape ?? DEFAULT_SHAPE);
  }

  get size(): number {
    return this.stories.size;
  }

  has(storyId: string): boolean {
    return this.stories.has(storyId);
  }

  /** The story this signature belongs to, if any story active within the window is similar enough. */
  find(sig: Uint32Array, at: Date): StoryMatch | null {
    const oldest = at.getTime() - this.options.windowMs;
    for (const c of this.lsh.query(sig, this.threshold)) {
      const story = this.stories.get(c.key);
      if (story && story.lastSeenMs >= oldest) return { storyId: c.key, similarity: c.similarity };
    }
    return null;
  }

  /** Records an item of a story (the first one creates it); `at` is when the item was seen. */
  add(storyId: string, sig: Uint32Array, at: Date): void {
    const t = at.getTime();
    const story = this.stories.get(storyId);
    // Deleting and setting again moves the story to the end: the map stays in order of last activity.
    this.stories.delete(storyId);
    if (!story) {
      const entry = this.nextEntry++;
      this.stories.set(storyId, { lastSeenMs: t, entries: entry });
      this.lsh.add(entry, storyId, sig);
      return;
    }
    story.lastSeenMs = Math.max(story.lastSeenMs, t);
    this.stories.set(storyId, story);
    const entries = typeof story.entries === 'number' ? [story.entries] : story.entries;
    if (entries.length >= MAX_INDEXED_MEMBERS) return;
    const entry = this.nextEntry++;
    // An exact-size copy: push would reserve room for 16 more ids in every story with a second item.
    story.entries = [...entries, entry];
    this.lsh.add(entry, storyId, sig);
  }

  /** Forgets stories idle since before the window; returns how many. */
  evict(now: Date): number {
    const oldest = now.getTime() - this.options.windowMs;
    let evicted = 0;
    for (const [id, story] of this.stories) {
      // Out-of-order timestamps (a restart loading old rows) can leave a younger story ahead: stop at the first
      // live one; the next eviction gets the rest.
      if (story.lastSeenMs >= oldest) break;
      if (typeof story.entries === 'number') this.lsh.remove(story.entries);
      else for (const e of story.entries) this.lsh.remove(e);
      this.stories.delete(id);
      evicted++;
    }
    return evicted;
  }
}
