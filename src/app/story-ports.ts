import type { StoryReport } from '../core/story/index.js';
import type { OutboxRow } from './ports.js';

/** An item's place in a story, written with the item in the poll transaction. */
export interface StoryLink {
  itemKey: string;
  storyId: string;
  signature: Uint8Array;
  wire: string | null;
  /** Set when this item founded the story. */
  newStory: { title: string; summary: string } | null;
}

export type AlertUpdateKind = 'also-reported' | 'follow-up';

/** A later item of an alerted story, to be applied to that alert (queued in the poll transaction). */
export interface NewAlertUpdate {
  /** The outbox row of the story's alert for this watch and destination. */
  outboxId: number;
  destinationId: number;
  itemKey: string;
  kind: AlertUpdateKind;
  report: StoryReport;
}

export interface AlertUpdateRow {
  id: number;
  outboxId: number;
  destinationId: number;
  feedId: number;
  itemKey: string;
  kind: AlertUpdateKind;
  report: StoryReport;
  attempts: number;
  createdAt: Date;
  /** Sent as the nonce of a follow-up message, so a retry cannot post it twice. */
  nonce: string;
}

/** One stored member of a story, for rebuilding the in-memory index at start. */
export interface StoredStoryMember {
  storyId: string;
  signature: Uint8Array;
  seenAt: Date;
}

export interface StoryRow {
  id: string;
  title: string;
  summary: string;
  firstSeenAt: Date;
  lastSeenAt: Date;
}

/** A channel's (destination's) own delivery policy; null fields fall back to the config. */
export interface DestinationPolicy {
  /** Minutes after midnight UTC; alerts inside [start, end) are held and sent as one digest when it ends. */
  quietHours: { start: number; end: number } | null;
  /** More than `max` messages in `windowSec` seconds: the rest are held and sent as one digest. */
  rateCap: { max: number; windowSec: number } | null;
}

export interface StoryStore {
  /** Members of stories active since `since`, oldest first. */
  loadStoryMembers(since: Date): StoredStoryMember[];
  getStory(id: string): StoryRow | undefined;
  /** The outbox row of the story's alert for this watch and destination (the first one), if any. */
  storyAlert(storyId: string, watchId: number, destinationId: number): { outboxId: number } | null;
  /** Items of the story (feed, key, wire), oldest first. */
  storyMembers(
    storyId: string,
  ): Array<{ feedId: number; itemKey: string; wire: string | null; seenAt: Date }>;
  /** Drops stories idle since before `before` (their members go with them); returns how many. */
  pruneStories(before: Date): number;

  /** One outbox row by id, whatever its status (the alert an update applies to). */
  outboxRow(id: number): OutboxRow | undefined;
  /** Whether other alerts were delivered in the same message (a digest). */
  sharesMessage(outboxId: number): boolean;
  /** Due updates of alerts that were delivered (or failed for good), oldest first. */
  listPendingUpdates(now: Date, limit: number): AlertUpdateRow[];
  /** Every update queued for an alert (any status), oldest first: an edit lists all of them. */
  updatesOf(outboxId: number): AlertUpdateRow[];
  markUpdateDelivered(id: number, at: Date): void;
  markUpdateRetry(id: number, input: { error: string; nextAttemptAt: Date }): void;
  markUpdateFailed(id: number, error: string): void;

  getDestinationPolicy(destinationId: number): DestinationPolicy;
  updateDestinationPolicy(
    destinationId: number,
    patch: Partial<DestinationPolicy>,
    at: Date,
  ): DestinationPolicy;
  /** Messages (a digest counts once) delivered to the destination at or after `since`. */
  messagesDeliveredSince(destinationId: number, since: Date): number;
}
