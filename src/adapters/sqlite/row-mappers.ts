import type { Alert } from '../../core/alert.js';
import type { FeedErrorCode } from '../../core/feed-types.js';
import type {
  DestinationKind,
  DestinationRow,
  FeedRow,
  FeedSubscriptionRow,
  OutboxRow,
  OutboxStatus,
  Scope,
  StoredItem,
  WatchRow,
} from '../../app/ports.js';

/** Rows exactly as SQLite returns them: dates are integer milliseconds since the epoch, booleans 0/1. */
export interface FeedDbRow {
  id: number;
  url: string;
  title: string | null;
  interval_sec: number;
  etag: string | null;
  last_modified: string | null;
  last_success_at: number | null;
  last_error_at: number | null;
  last_error_code: string | null;
  last_error_message: string | null;
  consecutive_failures: number;
  next_poll_at: number;
  primed_at: number | null;
  enabled: number;
  moved_to_url: string | null;
  moved_count: number;
  created_at: number;
}

export interface SubscriptionDbRow {
  feed_id: number;
  scope: string;
  name: string;
  channel_id: string | null;
  declared_url: string | null;
}

export interface ItemDbRow {
  feed_id: number;
  item_key: string;
  title: string;
  link: string | null;
  summary: string;
  published: number | null;
  updated: number | null;
  author: string | null;
  categories: string;
  first_seen_at: number;
}

export interface DestinationDbRow {
  id: number;
  scope: string;
  name: string;
  kind: string;
  target: string;
  enabled: number;
  disabled_reason: string | null;
}

export interface WatchDbRow {
  id: number;
  scope: string;
  name: string;
  query: string;
  feed_ids: string | null;
  /** JSON array built by the query from watch_destinations. */
  destination_ids: string;
  paused: number;
  muted_until: number | null;
  mention_role_id: string | null;
  color: number | null;
  created_at: number;
}

export interface OutboxDbRow {
  id: number;
  destination_id: number;
  watch_id: number;
  feed_id: number;
  item_key: string;
  alert: string;
  status: string;
  attempts: number;
  next_attempt_at: number;
  created_at: number;
  delivered_at: number | null;
  last_error: string | null;
  nonce: string;
  remote_id: string | null;
}

export const ms = (d: Date): number => d.getTime();
export const msOrNull = (d: Date | null | undefined): number | null => (d ? d.getTime() : null);
const date = (v: number): Date => new Date(v);
const dateOrNull = (v: number | null): Date | null => (v === null ? null : new Date(v));

export function toFeed(r: FeedDbRow): FeedRow {
  return {
    id: r.id,
    url: r.url,
    title: r.title,
    intervalSec: r.interval_sec,
    etag: r.etag,
    lastModified: r.last_modified,
    lastSuccessAt: dateOrNull(r.last_success_at),
    lastErrorAt: dateOrNull(r.last_error_at),
    lastErrorCode: r.last_error_code as FeedErrorCode | null,
    lastErrorMessage: r.last_error_message,
    consecutiveFailures: r.consecutive_failures,
    nextPollAt: date(r.next_poll_at),
    primedAt: dateOrNull(r.primed_at),
    enabled: r.enabled === 1,
    createdAt: date(r.created_at),
    movedToUrl: r.moved_to_url,
    movedCount: r.moved_count,
  };
}

export function toSubscription(r: SubscriptionDbRow): FeedSubscriptionRow {
  return { feedId: r.feed_id, scope: r.scope as Scope, name: r.name, channelId: r.channel_id };
}

export function toItem(r: ItemDbRow): StoredItem {
  return {
    feedId: r.feed_id,
    key: r.item_key,
    title: r.title,
    link: r.link,
    summary: r.summary,
    published: dateOrNull(r.published),
    updated: dateOrNull(r.updated),
    author: r.author,
    categories: JSON.parse(r.categories) as string[],
    firstSeenAt: date(r.first_seen_at),
  };
}

export function toDestination(r: DestinationDbRow): DestinationRow {
  return {
    id: r.id,
    scope: r.scope as Scope,
    name: r.name,
    kind: r.kind as DestinationKind,
    target: r.target,
    enabled: r.enabled === 1,
    disabledReason: r.disabled_reason,
  };
}

export function toWatch(r: WatchDbRow): WatchRow {
  return {
    id: r.id,
    scope: r.scope as Scope,
    name: r.name,
    query: r.query,
    feedIds: r.feed_ids === null ? null : (JSON.parse(r.feed_ids) as number[]),
    destinationIds: (JSON.parse(r.destination_ids) as number[]).sort((a, b) => a - b),
    paused: r.paused === 1,
    mutedUntil: dateOrNull(r.muted_until),
    mentionRoleId: r.mention_role_id,
    color: r.color,
    createdAt: date(r.created_at),
  };
}

export function toOutbox(r: OutboxDbRow): OutboxRow {
  return {
    id: r.id,
    destinationId: r.destination_id,
    watchId: r.watch_id,
    feedId: r.feed_id,
    itemKey: r.item_key,
    alert: JSON.parse(r.alert) as Alert,
    status: r.status as OutboxStatus,
    attempts: r.attempts,
    nextAttemptAt: date(r.next_attempt_at),
    createdAt: date(r.created_at),
    deliveredAt: dateOrNull(r.delivered_at),
    lastError: r.last_error,
    nonce: r.nonce,
    remoteId: r.remote_id,
  };
}
