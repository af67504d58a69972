import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type SqliteStore } from '../../../src/adapters/sqlite/sqlite-store.js';
import { NameTakenError } from '../../../src/adapters/sqlite/store-errors.js';
import { T0, at, item, minutes } from './store-fixtures.js';

let store: SqliteStore;
beforeEach(() => {
  store = openStore(':memory:', { now: () => T0 });
});
afterEach(() => store.close());

const sub = (url: string, scope: 'config' | `guild:${string}`, name: string, nextPollAt = T0) =>
  store.subscribeFeed({ url, scope, name, intervalSec: 300, nextPollAt });

describe('subscriptions', () => {
  it('shares one feed row between scopes subscribing to the same URL', () => {
    const a = sub('https://a.example/rss', 'config', 'Alpha');
    const b = store.subscribeFeed({
      url: 'https://a.example/rss',
      scope: 'guild:42',
      name: 'alpha news',
      channelId: '777',
      intervalSec: 60,
      nextPollAt: at(minutes(9)),
    });
    expect(b.id).toBe(a.id);
    // The existing feed keeps its schedule and interval.
    expect(b).toMatchObject({
      intervalSec: 300,
      nextPollAt: T0,
      enabled: true,
      consecutiveFailures: 0,
      createdAt: T0,
    });
    expect(store.subscriptionsOf(a.id)).toEqual([
      { feedId: a.id, scope: 'config', name: 'Alpha', channelId: null },
      { feedId: a.id, scope: 'guild:42', name: 'alpha news', channelId: '777' },
    ]);
    expect(store.listSubscriptions('guild:42')).toEqual([
      { feedId: a.id, scope: 'guild:42', name: 'alpha news', channelId: '777' },
    ]);
    expect(store.listSubscriptions()).toHaveLength(2);

    expect(store.unsubscribeFeed(a.id, 'guild:42')).toBe(true);
    expect(store.unsubscribeFeed(a.id, 'guild:42')).toBe(false);
    expect(store.subscriptionsOf(a.id).map((s) => s.scope)).toEqual(['config']);
    expect(store.listDueFeeds(T0, 10).map((f) => f.id)).toEqual([a.id]);

    // With no subscriber left, the feed row and its items stay but it is no longer polled.
    expect(store.unsubscribeFeed(a.id, 'config')).toBe(true);
    expect(store.getFeed(a.id)).toBeDefined();
    expect(store.listDueFeeds(T0, 10)).toEqual([]);
  });

  it('re-primes a feed that nobody subscribed to when someone subscribes again', () => {
    const a = sub('https://a.example/rss', 'config', 'a');
    store.recordPollSuccess(a.id, {
      at: T0,
      etag: null,
      lastModified: null,
      title: null,
      nextPollAt: T0,
      items: [item(a.id, 'x')],
      alerts: [],
    });
    expect(store.getFeed(a.id)?.primedAt).toEqual(T0);
    sub('https://a.example/rss', 'guild:1', 'a');
    expect(store.getFeed(a.id)?.primedAt).toEqual(T0);
    store.unsubscribeFeed(a.id, 'config');
    store.unsubscribeFeed(a.id, 'guild:1');
    expect(sub('https://a.example/rss', 'guild:2', 'a').primedAt).toBeNull();
  });

  it('rejects a name already used for another feed in the same scope; resubscribing updates name and channel', () => {
    const a = sub('https://a.example/rss', 'guild:1', 'news');
    expect(() => sub('https://b.example/rss', 'guild:1', 'news')).toThrow(NameTakenError);
    expect(store.getFeedByUrl('https://b.example/rss')).toBeUndefined();
    expect(sub('https://b.example/rss', 'guild:2', 'news').id).not.toBe(a.id);
    store.subscribeFeed({
      url: 'https://a.example/rss',
      scope: 'guild:1',
      name: 'renamed',
      channelId: '5',
      intervalSec: 300,
      nextPollAt: T0,
    });
    expect(store.listSubscriptions('guild:1')).toEqual([
      { feedId: a.id, scope: 'guild:1', name: 'renamed', channelId: '5' },
    ]);
  });
});

describe('listDueFeeds', () => {
  it('returns enabled, subscribed feeds due by now, earliest first, up to the limit', () => {
    const late = sub('https://late.example/rss', 'config', 'late', at(minutes(3)));
    const early = sub('https://early.example/rss', 'config', 'early', at(minutes(1)));
    const mid = sub('https://mid.example/rss', 'guild:1', 'mid', at(minutes(2)));
    sub('https://future.example/rss', 'config', 'future', at(minutes(60)));
    const disabled = sub('https://off.example/rss', 'config', 'off', T0);
    store.db.prepare('UPDATE feeds SET enabled = 0 WHERE id = ?').run(disabled.id);

    expect(store.listDueFeeds(at(minutes(5)), 10).map((f) => f.id)).toEqual([early.id, mid.id, late.id]);
    expect(store.listDueFeeds(at(minutes(5)), 2).map((f) => f.id)).toEqual([early.id, mid.id]);
    expect(store.listDueFeeds(at(minutes(2)), 10).map((f) => f.id)).toEqual([early.id, mid.id]);
    expect(store.listDueFeeds(T0, 10)).toEqual([]);

    store.recordNotModified([{ feedId: early.id, at: at(minutes(5)), nextPollAt: at(minutes(10)) }]);
    expect(store.listDueFeeds(at(minutes(5)), 10).map((f) => f.id)).toEqual([mid.id, late.id]);
    expect(store.getFeed(early.id)?.lastSuccessAt).toEqual(at(minutes(5)));
  });
});

describe('fetch state', () => {
  it('recordFailure counts consecutive failures and returns the updated row; success resets the count', () => {
    const a = sub('https://a.example/rss', 'config', 'a');
    store.recordFailure(a.id, {
      at: at(minutes(1)),
      code: 'timeout',
      message: 'timed out after 15s',
      nextPollAt: at(minutes(6)),
    });
    const row = store.recordFailure(a.id, {
      at: at(minutes(6)),
      code: 'http-5xx',
      message: 'HTTP 503',
      nextPollAt: at(minutes(16)),
    });
    expect(row).toMatchObject({
      consecutiveFailures: 2,
      lastErrorAt: at(minutes(6)),
      lastErrorCode: 'http-5xx',
      lastErrorMessage: 'HTTP 503',
      nextPollAt: at(minutes(16)),
    });
    store.recordNotModified([{ feedId: a.id, at: at(minutes(16)), nextPollAt: at(minutes(21)) }]);
    expect(store.getFeed(a.id)?.consecutiveFailures).toBe(0);
    expect(() => store.recordFailure(999, { at: T0, code: 'dns', message: 'x', nextPollAt: T0 })).toThrow();
  });

  it('counts permanent redirects to the same URL and moves the feed, unless the URL is taken', () => {
    const a = sub('https://a.example/rss', 'config', 'a');
    expect(store.recordMove(a.id, 'https://a.example/feed')).toBe(1);
    expect(store.recordMove(a.id, 'https://a.example/feed')).toBe(2);
    expect(store.recordMove(a.id, 'https://a.example/other')).toBe(1);
    expect(store.getFeed(a.id)).toMatchObject({ movedToUrl: 'https://a.example/other', movedCount: 1 });
    expect(store.recordMove(a.id, null)).toBe(0);
    expect(store.getFeed(a.id)).toMatchObject({ movedToUrl: null, movedCount: 0 });

    store.recordMove(a.id, 'https://a.example/feed');
    store.updateFeedUrl(a.id, 'https://a.example/feed');
    expect(store.getFeed(a.id)).toMatchObject({
      url: 'https://a.example/feed',
      movedToUrl: null,
      movedCount: 0,
    });
    expect(store.getFeedByUrl('https://a.example/feed')?.id).toBe(a.id);

    const b = sub('https://b.example/rss', 'config', 'b');
    store.recordMove(b.id, 'https://a.example/feed');
    store.updateFeedUrl(b.id, 'https://a.example/feed');
    expect(store.getFeed(b.id)).toMatchObject({ url: 'https://b.example/rss', movedToUrl: null });
  });

  it('setInterval changes the interval', () => {
    const a = sub('https://a.example/rss', 'config', 'a');
    store.setInterval(a.id, 900);
    expect(store.getFeed(a.id)?.intervalSec).toBe(900);
  });
});
