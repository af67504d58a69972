import { stableHash } from '../core/stable-hash.js';
import {
  signatureFromBytes,
  signatureToBytes,
  StoryIndex,
  storyFingerprint,
  parseWireAttribution,
  titleChangedMaterially,
} from '../core/story/index.js';
import type { NewAlert, Store } from './ports.js';
import type { AlertUpdateKind, NewAlertUpdate, StoryLink } from './story-ports.js';

export interface StoryGroupingOptions {
  /** Stories idle for longer than this are closed: a later item starts a new one (default 48 h). */
  windowMs: number;
  /** Estimated Jaccard similarity to join a story; DEFAULT_STORY_THRESHOLD when absent. */
  threshold?: number;
  /** A later item whose headline changed materially becomes a follow-up under the alert, not a line in it. */
  followUps: boolean;
}

export interface StoryAssignment {
  storyId: string;
  /** True when this item founded the story. */
  isNew: boolean;
  wire: string | null;
  link: StoryLink;
}

/** What grouping reads of an item (a StoredItem has it all). */
export interface GroupableItem {
  key: string;
  title: string;
  summary: string;
  author: string | null;
  published?: Date | null;
}

export const DEFAULT_STORY_WINDOW_MS = 48 * 3600 * 1000;

/**
 * Groups new items into stories: the same wire story carried by many feeds becomes one story, so a watch alerts it
 * once. The LSH index lives in memory and is rebuilt from SQLite at start (stories of the window), then updated as
 * items arrive; story membership is written in the poll transaction with the items, so a restart loses nothing.
 */
export class StoryGrouping {
  private readonly index: StoryIndex;
  private lastEviction = 0;
  private lastPrune = 0;
  private loaded = false;

  constructor(
    private readonly store: Store,
    private readonly options: StoryGroupingOptions,
  ) {
    this.index = new StoryIndex({ windowMs: options.windowMs, threshold: options.threshold });
  }

  get size(): number {
    return this.index.size;
  }

  /** Rebuilds the index from the stories active within the window; drops older ones from the database. */
  load(now: Date): number {
    this.loaded = true;
    const since = new Date(now.getTime() - this.options.windowMs);
    this.store.pruneStories(since);
    for (const m of this.store.loadStoryMembers(since)) {
      this.index.add(m.storyId, signatureFromBytes(m.signature), m.seenAt);
    }
    this.lastEviction = now.getTime();
    this.lastPrune = now.getTime();
    return this.index.size;
  }

  /**
   * Finds (or founds) the story of a new item and adds the item to the index at once, so that the next item of the
   * same poll already sees it. Call with no await between this and the poll transaction that writes the link.
   */
  assign(
    feedId: number,
    item: GroupableItem,
    now: Date,
  ): StoryAssignment | { storyId: null; wire: string | null } {
    if (!this.loaded) this.load(now);
    this.evictNow(now);
    // An item published before the window (a feed's archive, seen on its first poll) belongs to no current story;
    // indexing it would only cost memory until the window evicts it again.
    if (item.published && item.published.getTime() < now.getTime() - this.options.windowMs) {
      return { storyId: null, wire: parseWireAttribution(item).wire };
    }
    const fp = storyFingerprint(item);
    // Too little text to compare: the item stands alone and is not remembered as a story.
    if (!fp.groupable) return { storyId: null, wire: fp.wire };
    const match = this.index.find(fp.signature, now);
    const storyId = match?.storyId ?? `s${stableHash(`${feedId}\n${item.key}`)}`;
    this.index.add(storyId, fp.signature, now);
    return {
      storyId,
      isNew: match === null,
      wire: fp.wire,
      link: {
        itemKey: item.key,
        storyId,
        signature: signatureToBytes(fp.signature),
        wire: fp.wire,
        newStory: match ? null : { title: item.title, summary: item.summary },
      },
    };
  }

  /** How a later item of an alerted story is shown: a line in the alert, or a follow-up when the news moved on. */
  updateKind(storyId: string, item: { title: string }): AlertUpdateKind {
    if (!this.options.followUps) return 'also-reported';
    const story = this.store.getStory(storyId);
    return story && titleChangedMaterially(story, item) ? 'follow-up' : 'also-reported';
  }

  /** Eviction at most once a minute: it walks only the expired stories, but there is no need to try per item. */
  private evictNow(now: Date): void {
    if (now.getTime() - this.lastEviction < 60_000) return;
    this.lastEviction = now.getTime();
    this.index.evict(now);
    // The stored stories follow hourly: the index, not the table, is what look-ups read.
    if (now.getTime() - this.lastPrune >= 3600_000) {
      this.lastPrune = now.getTime();
      this.store.pruneStories(new Date(now.getTime() - this.options.windowMs));
    }
  }
}

/** What story grouping knows about one new item of a poll. */
export interface NewItemStory {
  wire: string | null;
  /** null when story grouping is off, or the item is too short to group. */
  story: StoryAssignment | null;
}

/**
 * Wire credit and story of each new item of a poll (keys repeated in one document count once). Without grouping
 * only the wire is read, for `source:` in queries.
 */
export function groupNewItems(
  grouping: StoryGrouping | undefined,
  feedId: number,
  items: readonly GroupableItem[],
  unseen: ReadonlySet<string>,
  now: Date,
): Map<string, NewItemStory> {
  const out = new Map<string, NewItemStory>();
  for (const item of items) {
    if (!unseen.has(item.key) || out.has(item.key)) continue;
    if (grouping) {
      const story = grouping.assign(feedId, item, now);
      out.set(item.key, { wire: story.wire, story: story.storyId === null ? null : story });
    } else {
      out.set(item.key, { wire: parseWireAttribution(item).wire, story: null });
    }
  }
  return out;
}

/**
 * One story, one alert: an alert for an item whose story already has an alert for the same watch and destination
 * becomes an update of that alert (a line "Also reported by", or a follow-up); a second item of a story found in
 * the same poll adds nothing. Everything else stays an alert, tagged with its story.
 */
export function routeStoryAlerts(
  store: Store,
  grouping: StoryGrouping | undefined,
  alerts: readonly NewAlert[],
  stories: ReadonlyMap<string, NewItemStory>,
): { alerts: NewAlert[]; updates: NewAlertUpdate[]; links: StoryLink[] } {
  const links = [...stories.values()].flatMap((s) => (s.story ? [s.story.link] : []));
  if (!grouping) return { alerts: [...alerts], updates: [], links };
  const kept: NewAlert[] = [];
  const updates: NewAlertUpdate[] = [];
  const alertedNow = new Set<string>();
  for (const alert of alerts) {
    const s = stories.get(alert.itemKey);
    if (!s?.story) {
      kept.push(alert);
      continue;
    }
    const { storyId } = s.story;
    const slot = `${storyId}\n${alert.watchId}\n${alert.destinationId}`;
    if (alertedNow.has(slot)) continue;
    const existing = s.story.isNew ? null : store.storyAlert(storyId, alert.watchId, alert.destinationId);
    if (existing) {
      const a = alert.alert;
      updates.push({
        outboxId: existing.outboxId,
        destinationId: alert.destinationId,
        itemKey: alert.itemKey,
        kind: grouping.updateKind(storyId, a),
        report: { feedTitle: a.feedTitle, host: a.host, title: a.title, link: a.link, wire: s.wire },
      });
      continue;
    }
    alertedNow.add(slot);
    kept.push({ ...alert, storyId });
  }
  return { alerts: kept, updates, links };
}
