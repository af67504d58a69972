import type { StoryReport } from '../core/story/index.js';
import type { OutboxRow, SendResult } from './ports.js';

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

/**
 * The delivered alert an update applies to, as the deliverer hands it to `sendUpdate`: with the thread its
 * follow-ups go to once one was started, and whether its message is a digest (a thread there would be named after
 * one of its stories).
 */
export interface UpdatedAlert extends OutboxRow {
  threadId?: string | null;
  sharesMessage?: boolean;
}

/** What `sendUpdate` may report beyond SendResult (read by the deliverer; senders without threads leave it out). */
export interface UpdateOutcome {
  /** The thread follow-ups of this alert now go to; null: none (forget a stored one); absent: unchanged. */
  threadId?: string | null;
  /** Why the update was not shown where it should have been (e.g. posted as a reply: no thread permission). */
  fallback?: string;
}

export type UpdateResult = SendResult & UpdateOutcome;

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
  /**
   * The thread of an alert's follow-ups, and recording it. Optional while not every store has them: without them a
   * Discord sender finds the thread again from the alert message (a thread started from a message has its id).
   */
  alertThread(outboxId: number): string | null;
  setAlertThread(outboxId: number, threadId: string | null): void;

  getDestinationPolicy(destinationId: number): DestinationPolicy;
  updateDestinationPolicy(
    destinationId: number,
    patch: Partial<DestinationPolicy>,
    at: Date,
  ): DestinationPolicy;
  /** Messages (a digest counts once) delivered to the destination at or after `since`. */
  messagesDeliveredSince(destinationId: number, since: Date): number;
}
