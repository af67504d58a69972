import type { FeedErrorCode } from '../core/feed-types.js';
import { hostOf } from '../core/alert-builder.js';
import { nextPollAfterSuccess, type PollTiming } from '../core/poll-schedule.js';
import type { Clock, FeedFetcher, FeedParser, FeedRow, Scope, Store } from './ports.js';
import type { WatchRegistry } from './watch-registry.js';
import { toStoredItems } from './stored-items.js';

export interface FeedManagementDeps {
  store: Store;
  /** Must refuse private networks unless the operator allowed them: users choose these URLs. */
  fetcher: FeedFetcher;
  parser: FeedParser;
  watches: WatchRegistry;
  clock: Clock;
  timing: PollTiming;
  limits: { feedsPerServer: number };
  random?: () => number;
}

/** Why a feed could not be added or found; fetch and parse problems keep their FeedErrorCode. */
export type FeedFailureCode = FeedErrorCode | 'limit-reached' | 'name-taken' | 'already-added' | 'not-found';

export interface FeedFailure {
  ok: false;
  code: FeedFailureCode;
  message: string;
}

export type AddFeedResult =
  { ok: true; feed: FeedRow; name: string; title: string; itemCount: number } | FeedFailure;

export interface FeedListing {
  name: string;
  url: string;
  title: string | null;
  status: 'ok' | 'failing' | 'waiting';
  lastSuccessAt: Date | null;
  lastError: string | null;
  /** Stable failure code (dns, timeout, http-4xx, not-a-feed...), as `wirewatch status` shows it. */
  lastErrorCode: string | null;
  consecutiveFailures: number;
  lastErrorAt: Date | null;
  nextPollAt: Date;
  /** Channel ids that get alerts from this feed through the scope's watches. */
  channelIds: string[];
}

export type RemoveFeedResult = { ok: true; name: string; url: string; pausedWatches: string[] } | FeedFailure;

/** What servers (or the config) do with feeds: add after one successful fetch, list, remove, import, export. */
export class FeedManagement {
  constructor(private readonly deps: FeedManagementDeps) {}

  /**
   * Fetches and parses the feed once before saving it, so a bad URL is refused with its reason. A feed nobody
   * polled yet is primed with the items just fetched: they never alert, and /watch add can preview them at once.
   */
  /** Why this scope cannot add `url` now (already there, at its limit, name taken), or null. */
  private refuseAdd(scope: Scope, url: string, wanted: string | null): AddFeedResult | null {
    const subs = this.deps.store.listSubscriptions(scope);
    const known = this.deps.store.getFeedByUrl(url);
    const mine = known && subs.find((s) => s.feedId === known.id);
    if (mine) return fail('already-added', `This server already has that feed, as "${mine.name}".`);
    if (subs.length >= this.deps.limits.feedsPerServer) {
      return fail(
        'limit-reached',
        `This server has reached its limit of ${this.deps.limits.feedsPerServer} feeds; remove one with /feed remove first.`,
      );
    }
    if (wanted && subs.some((s) => sameName(s.name, wanted))) {
      return fail(
        'name-taken',
        `A feed named "${wanted}" already exists in this server; choose another name.`,
      );
    }
    return null;
  }

  async addFeed(input: {
    scope: Scope;
    url: string;
    name?: string | null;
    channelId?: string | null;
  }): Promise<AddFeedResult> {
    const { store } = this.deps;
    let url: string;
    try {
      url = new URL(input.url.trim()).href;
    } catch {
      return fail(
        'invalid-url',
        `"${input.url.slice(0, 200)}" is not a URL; give the full address, e.g. https://example.org/rss`,
      );
    }
    const wanted = input.name?.trim() || null;
    const refused = this.refuseAdd(input.scope, url, wanted);
    if (refused) return refused;
    const fetched = await this.deps.fetcher.fetch(url, { etag: null, lastModified: null });
    if (fetched.kind === 'error') return fail(fetched.problem.code, fetched.problem.message);
    if (fetched.kind === 'not-modified')
      return fail('http-4xx', 'the server answered 304 Not Modified to a plain GET');
    const parsed = await this.deps.parser.parse(fetched.text, fetched.finalUrl);
    if (!parsed.ok) return fail(parsed.problem.code, parsed.problem.message);
    // Checked again after the fetch: another /feed add may have finished meanwhile. From here to the insert the
    // code is synchronous, so no third one can slip in between the check and the write.
    const refusedNow = this.refuseAdd(input.scope, url, wanted);
    if (refusedNow) return refusedNow;
    const current = store.listSubscriptions(input.scope);
    const known = store.getFeedByUrl(url);
    const title = parsed.feed.title ?? hostOf(url) ?? url;
    const name =
      wanted ??
      uniqueName(
        title.slice(0, 80),
        current.map((s) => s.name),
      );
    const now = this.deps.clock.now();
    const random = this.deps.random ?? Math.random;
    const alreadyPolled =
      known !== undefined && known.primedAt !== null && store.subscriptionsOf(known.id).length > 0;
    const feed = store.subscribeFeed({
      url,
      scope: input.scope,
      name,
      channelId: input.channelId ?? null,
      intervalSec: this.deps.timing.defaultIntervalSec,
      nextPollAt: now,
    });
    if (!alreadyPolled) {
      store.recordPollSuccess(feed.id, {
        at: now,
        etag: fetched.etag,
        lastModified: fetched.lastModified,
        title: parsed.feed.title,
        nextPollAt: nextPollAfterSuccess(now, feed.intervalSec, this.deps.timing, random),
        items: toStoredItems(feed.id, parsed.feed.items, now),
        alerts: [],
      });
    }
    return {
      ok: true,
      feed: store.getFeed(feed.id) ?? feed,
      name,
      title,
      itemCount: parsed.feed.items.length,
    };
  }

  /** Unsubscribes the scope; its watches that named only this feed are paused (they would match nothing). */
  removeFeed(scope: Scope, name: string): RemoveFeedResult {
    const { store } = this.deps;
    const sub = store.listSubscriptions(scope).find((s) => sameName(s.name, name));
    if (!sub) return fail('not-found', `No feed named "${name}" in this server; /feed list shows them.`);
    const feed = store.getFeed(sub.feedId);
    store.unsubscribeFeed(sub.feedId, scope);
    const pausedWatches: string[] = [];
    for (const watch of store.listWatches(scope)) {
      if (!watch.feedIds?.includes(sub.feedId)) continue;
      const rest = watch.feedIds.filter((id) => id !== sub.feedId);
      store.setWatchFeeds(watch.id, rest);
      if (rest.length === 0 && !watch.paused) {
        store.updateWatch(watch.id, { paused: true });
        pausedWatches.push(watch.name);
      }
      const updated = store.getWatch(watch.id);
      if (updated) this.deps.watches.upsert(updated);
    }
    return { ok: true, name: sub.name, url: feed?.url ?? '', pausedWatches };
  }

  listFeeds(scope: Scope, failureThreshold = 3): FeedListing[] {
    const { store } = this.deps;
    const destinations = new Map(store.listDestinations(scope).map((d) => [d.id, d]));
    const watches = store.listWatches(scope).filter((w) => !w.paused);
    return store.listSubscriptions(scope).flatMap((sub) => {
      const feed = store.getFeed(sub.feedId);
      if (!feed) return [];
      const channelIds = new Set<string>();
      for (const w of watches) {
        if (w.feedIds && !w.feedIds.includes(feed.id)) continue;
        for (const id of w.destinationIds) {
          const d = destinations.get(id);
          if (d?.kind === 'discord-channel' && d.enabled) channelIds.add(d.target);
        }
      }
      const status: FeedListing['status'] =
        feed.consecutiveFailures >= failureThreshold ? 'failing' : feed.primedAt ? 'ok' : 'waiting';
      return [
        {
          name: sub.name,
          url: feed.url,
          title: feed.title,
          status,
          lastSuccessAt: feed.lastSuccessAt,
          lastError: feed.lastErrorMessage,
          lastErrorCode: feed.lastErrorCode,
          consecutiveFailures: feed.consecutiveFailures,
          lastErrorAt: feed.lastErrorAt,
          nextPollAt: feed.nextPollAt,
          channelIds: [...channelIds],
        },
      ];
    });
  }

  /** Adds each entry in turn; one bad entry never stops the rest. */
  async importFeeds(
    scope: Scope,
    entries: ReadonlyArray<{ url: string; title: string | null }>,
    channelId: string | null,
  ): Promise<Array<{ url: string; outcome: 'added' | 'skipped' | 'failed'; detail: string }>> {
    const out: Array<{ url: string; outcome: 'added' | 'skipped' | 'failed'; detail: string }> = [];
    for (const entry of entries) {
      const result = await this.addFeed({ scope, url: entry.url, name: null, channelId });
      if (result.ok)
        out.push({ url: entry.url, outcome: 'added', detail: `${result.name} (${result.itemCount} items)` });
      else if (result.code === 'already-added')
        out.push({ url: entry.url, outcome: 'skipped', detail: result.message });
      else out.push({ url: entry.url, outcome: 'failed', detail: result.message });
    }
    return out;
  }

  /** Name, URL and title of every feed of the scope, for an OPML export. */
  exportFeeds(scope: Scope): Array<{ name: string; url: string; title: string | null }> {
    return this.deps.store.listSubscriptions(scope).flatMap((sub) => {
      const feed = this.deps.store.getFeed(sub.feedId);
      return feed ? [{ name: sub.name, url: feed.url, title: feed.title }] : [];
    });
  }

  /** Names for autocomplete: those containing what was typed, at most 25 (Discord's limit). */
  suggest(scope: Scope, typed: string): string[] {
    const t = typed.toLowerCase();
    return this.deps.store
      .listSubscriptions(scope)
      .map((s) => s.name)
      .filter((n) => n.toLowerCase().includes(t))
      .slice(0, 25);
  }
}

function fail(code: FeedFailureCode, message: string): FeedFailure {
  return { ok: false, code, message };
}

export function sameName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** `base`, or `base (2)`, `base (3)`… whichever is free. */
export function uniqueName(base: string, taken: readonly string[]): string {
  const name = base.trim() || 'feed';
  if (!taken.some((t) => sameName(t, name))) return name;
  for (let n = 2; ; n++) {
    const candidate = `${name} (${n})`;
    if (!taken.some((t) => sameName(t, candidate))) return candidate;
  }
}
