import { buildAlert, hostOf } from '../core/alert-builder.js';
import type { FeedProblem } from '../core/feed-types.js';
import {
  adaptiveInterval,
  nextPollAfterFailure,
  nextPollAfterSuccess,
  type PollTiming,
} from '../core/poll-schedule.js';
import type {
  Clock,
  FeedFetcher,
  FeedParser,
  FeedRow,
  Log,
  NewAlert,
  PipelineEvents,
  Store,
  StoredItem,
} from './ports.js';
import { groupNewItems, routeStoryAlerts, type NewItemStory, type StoryGrouping } from './story-grouping.js';
import type { NotModifiedBatch } from './not-modified-batch.js';
import type { PollOrder } from './poll-order.js';
import type { WatchRegistry } from './watch-registry.js';
import { toStoredItems } from './stored-items.js';

export interface PollFeedDeps {
  store: Store;
  fetcher: FeedFetcher;
  /** Used instead of `fetcher` for feeds the config file declares, when the operator trusts them further (e.g. to
   * reach intranet hosts). The operator chose those URLs, so a feed the config declares is trusted even when a
   * Discord server subscribes to the same URL; feeds only pasted in from Discord never are. */
  trustedFetcher?: FeedFetcher;
  parser: FeedParser;
  watches: WatchRegistry;
  clock: Clock;
  log: Log;
  timing: PollTiming;
  random: () => number;
  /** Consecutive failures after which a feed counts as failing (one notice, then one more on recovery). */
  failureThreshold: number;
  /** Polls in a row that must see the same permanent redirect before the stored URL is changed. */
  moveAfter: number;
  onFeedHealth?: (feed: FeedRow, change: 'failing' | 'recovered', problem: FeedProblem | null) => void;
  events?: PipelineEvents;
  /** Story grouping (one story, one alert); absent: every matching item alerts. */
  stories?: StoryGrouping;
  /** Starts feeds that polled slowly first (see poll-order.ts); absent: due order. */
  pollOrder?: PollOrder;
  /** A tick's 304s, written in batches (pollDueFeeds sets it); absent: each is written at once. */
  notModified?: NotModifiedBatch;
}

export type PollReport =
  | { feedId: number; status: 'ok'; newItems: number; alerts: number; primed: boolean }
  | { feedId: number; status: 'not-modified' }
  | { feedId: number; status: 'error'; problem: FeedProblem };

/** One poll of one feed: fetch, parse, find new items, match them, and record items and alerts in one step. */
export async function pollFeed(deps: PollFeedDeps, feed: FeedRow): Promise<PollReport> {
  const started = Date.now();
  const report = await pollOnce(deps, feed);
  deps.events?.feedPolled?.({
    feed,
    status: report.status,
    code: report.status === 'error' ? report.problem.code : null,
    newItems: report.status === 'ok' ? report.newItems : 0,
    alerts: report.status === 'ok' ? report.alerts : 0,
    durationMs: Date.now() - started,
    at: deps.clock.now(),
  });
  return report;
}

async function pollOnce(deps: PollFeedDeps, feed: FeedRow): Promise<PollReport> {
  const { store, clock } = deps;
  const fetcher =
    deps.trustedFetcher && deps.store.subscriptionsOf(feed.id).some((s) => s.scope === 'config')
      ? deps.trustedFetcher
      : deps.fetcher;
  const fetched = await fetcher.fetch(feed.url, { etag: feed.etag, lastModified: feed.lastModified });
  const now = clock.now();
  if (fetched.kind === 'error') return fail(deps, feed, fetched.problem);
  const intervalSec = effectiveInterval(feed.intervalSec, fetched.freshForSec, null);
  if (fetched.kind === 'not-modified') {
    // 304: nothing changed, and nothing was parsed.
    const poll = {
      feedId: feed.id,
      at: now,
      nextPollAt: nextPollAfterSuccess(now, intervalSec, deps.timing, deps.random),
    };
    // A feed with failures to clear records its recovery at once, before the notice about it goes out.
    if (deps.notModified && feed.consecutiveFailures === 0) deps.notModified.add(poll);
    else store.recordNotModified([poll]);
    recovered(deps, feed);
    return { feedId: feed.id, status: 'not-modified' };
  }
  // What earlier polls parsed: items whose XML is unchanged are not parsed again.
  const known = feed.primedAt ? store.itemSources(feed.id) : undefined;
  const parsed = await deps.parser.parse(fetched.text, fetched.finalUrl, known);
  if (!parsed.ok) return fail(deps, feed, parsed.problem);
  trackMove(deps, feed, fetched.permanentUrl);

  const feedTitle = parsed.feed.title ?? feed.title ?? hostOf(feed.url) ?? feed.url;
  const items = toStoredItems(feed.id, parsed.feed.items, now);
  const unseen = store.unseenKeys(
    feed.id,
    items.map((i) => i.key),
  );
  // The first successful poll only records what the feed already holds: subscribing must not flood a channel
  // with the last fifty stories.
  // Primed items join stories too, so a story a feed already carried is known when other feeds bring it.
  const stories = groupNewItems(deps.stories, feed.id, items, unseen, now);
  const matched = feed.primedAt ? matchNewItems(deps, feed, feedTitle, items, unseen, stories) : [];
  const routed = routeStoryAlerts(store, deps.stories, matched, stories);
  const interval = chooseInterval(
    deps,
    feed.id,
    items,
    unseen,
    now,
    fetched.freshForSec,
    parsed.feed.ttlMinutes,
  );
  const result = store.recordPollSuccess(feed.id, {
    at: now,
    etag: fetched.etag,
    lastModified: fetched.lastModified,
    title: parsed.feed.title,
    nextPollAt: nextPollAfterSuccess(now, interval, deps.timing, deps.random),
    intervalSec: interval,
    items,
    unchangedKeys: parsed.feed.unchangedKeys ?? [],
    alerts: routed.alerts,
    stories: routed.links,
    updates: routed.updates,
  });
  recovered(deps, feed);
  return {
    feedId: feed.id,
    status: 'ok',
    newItems: result.newItems,
    alerts: result.alertsWritten,
    primed: feed.primedAt === null,
  };
}

function matchNewItems(
  deps: PollFeedDeps,
  feed: FeedRow,
  feedTitle: string,
  items: readonly StoredItem[],
  unseen: ReadonlySet<string>,
  stories: ReadonlyMap<string, NewItemStory>,
): NewAlert[] {
  const scopes = new Set(deps.store.subscriptionsOf(feed.id).map((s) => s.scope));
  const now = deps.clock.now();
  const alerts: NewAlert[] = [];
  const done = new Set<string>();
  for (const item of items) {
    // A key repeated inside one document is one item: match it once.
    if (!unseen.has(item.key) || done.has(item.key)) continue;
    done.add(item.key);
    const input = { ...item, feedTitle, wire: stories.get(item.key)?.wire ?? null };
    for (const { watch, hits } of deps.watches.match(input, { id: feed.id, scopes }, now)) {
      const alert = buildAlert({ item, watch, feedTitle, feedUrl: feed.url, hits });
      for (const destinationId of watch.destinationIds) {
        alerts.push({ destinationId, watchId: watch.id, itemKey: item.key, alert });
      }
    }
  }
  return alerts;
}

const WEEK_MS = 7 * 24 * 3600 * 1000;

/**
 * The adaptive interval after a successful poll: a week divided by the items published (or, undated, first seen) in
 * the last week, those stored before plus the new ones of this poll, within the configured bounds. An interval the
 * operator set for the feed wins; the publisher's minimum (ttl, Cache-Control, Expires) applies either way.
 */
function chooseInterval(
  deps: PollFeedDeps,
  feedId: number,
  items: readonly StoredItem[],
  unseen: ReadonlySet<string>,
  now: Date,
  freshForSec: number | null,
  ttlMinutes: number | null,
): number {
  const weekAgo = new Date(now.getTime() - WEEK_MS);
  const fresh = new Set<string>();
  for (const item of items) {
    if (unseen.has(item.key) && (item.published ?? item.firstSeenAt) >= weekAgo) fresh.add(item.key);
  }
  return adaptiveInterval({
    itemsLastWeek: deps.store.itemsSince(feedId, weekAgo) + fresh.size,
    configuredSec: deps.store.explicitInterval(feedId),
    publisherMinSec: Math.max(freshForSec ?? 0, (ttlMinutes ?? 0) * 60),
    timing: deps.timing,
  });
}

/** The feed's interval, but never more often than the publisher asked (ttl, Cache-Control), capped at a day. */
function effectiveInterval(
  intervalSec: number,
  freshForSec: number | null,
  ttlMinutes: number | null,
): number {
  const publisherMin = Math.max(freshForSec ?? 0, (ttlMinutes ?? 0) * 60);
  return publisherMin > intervalSec ? Math.min(publisherMin, 24 * 3600) : intervalSec;
}

function fail(deps: PollFeedDeps, feed: FeedRow, problem: FeedProblem): PollReport {
  const now = deps.clock.now();
  const failures = feed.consecutiveFailures + 1;
  const nextPollAt = nextPollAfterFailure(
    now,
    feed.intervalSec,
    failures,
    deps.timing,
    deps.random,
    problem.retryAfterSec,
  );
  deps.store.recordFailure(feed.id, { at: now, code: problem.code, message: problem.message, nextPollAt });
  deps.log.warn(
    { feedId: feed.id, url: feed.url, code: problem.code, failures },
    `feed poll failed: ${problem.message}`,
  );
  if (failures === deps.failureThreshold) deps.onFeedHealth?.(feed, 'failing', problem);
  return { feedId: feed.id, status: 'error', problem };
}

function recovered(deps: PollFeedDeps, feed: FeedRow): void {
  if (feed.consecutiveFailures >= deps.failureThreshold) deps.onFeedHealth?.(feed, 'recovered', null);
}

/** Follows a feed that moved: the stored URL changes only after the same permanent redirect was seen N times. */
function trackMove(deps: PollFeedDeps, feed: FeedRow, permanentUrl: string | null): void {
  if (permanentUrl === null || permanentUrl === feed.url) {
    if (feed.movedCount > 0) deps.store.recordMove(feed.id, null);
    return;
  }
  const count = deps.store.recordMove(feed.id, permanentUrl);
  if (count >= deps.moveAfter) {
    deps.store.updateFeedUrl(feed.id, permanentUrl);
    deps.log.info(
      { feedId: feed.id, from: feed.url, to: permanentUrl },
      'feed moved permanently; URL updated',
    );
  }
}
