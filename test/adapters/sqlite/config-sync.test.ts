import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type SqliteStore } from '../../../src/adapters/sqlite/sqlite-store.js';
import { REMOVED_FROM_CONFIG, type ConfigInput } from '../../../src/adapters/sqlite/config-sync.js';
import { T0, alertFor, item } from './store-fixtures.js';

let store: SqliteStore;
beforeEach(() => {
  store = openStore(':memory:', { now: () => T0 });
});
afterEach(() => store.close());

const HOOK = 'https://discord.example/api/webhooks/1/secret';

function base(): ConfigInput {
  return {
    feeds: [
      { name: 'alpha', url: 'https://a.example/rss', intervalSec: 300 },
      { name: 'beta', url: 'https://b.example/rss', intervalSec: 600 },
    ],
    destinations: [
      { name: 'console', kind: 'console', target: '' },
      { name: 'hook', kind: 'discord-webhook', target: HOOK },
    ],
    watches: [
      { name: 'nato', query: 'NATO', feeds: null, destinations: null },
      { name: 'korea', query: 'Korea', feeds: ['beta'], destinations: ['hook'] },
    ],
    now: T0,
  };
}

const feedId = (name: string): number =>
  store.listSubscriptions('config').find((s) => s.name === name)?.feedId ?? -1;
const destId = (name: string): number =>
  store.listDestinations('config').find((d) => d.name === name)?.id ?? -1;

describe('syncConfig', () => {
  it('adds feeds, destinations and watches, resolving names to ids', () => {
    store.syncConfig(base());
    const alpha = store.getFeed(feedId('alpha'));
    expect(alpha).toMatchObject({
      url: 'https://a.example/rss',
      intervalSec: 300,
      nextPollAt: T0,
      enabled: true,
    });
    expect(store.getFeed(feedId('beta'))?.intervalSec).toBe(600);
    expect(store.listDestinations('config').map((d) => [d.name, d.kind, d.target, d.enabled])).toEqual([
      ['console', 'console', '', true],
      ['hook', 'discord-webhook', HOOK, true],
    ]);
    const watches = store.listWatches('config');
    expect(watches.map((w) => [w.name, w.query, w.feedIds, w.destinationIds])).toEqual([
      ['nato', 'NATO', null, [destId('console'), destId('hook')].sort((a, b) => a - b)],
      ['korea', 'Korea', [feedId('beta')], [destId('hook')]],
    ]);
    expect(store.listDueFeeds(T0, 10)).toHaveLength(2);
  });

  it('is idempotent: syncing the same file again changes nothing', () => {
    store.syncConfig(base());
    const before = [store.listSubscriptions(), store.listDestinations(), store.listWatches()];
    store.syncConfig(base());
    expect([store.listSubscriptions(), store.listDestinations(), store.listWatches()]).toEqual(before);
  });

  it('updates rows in place by name', () => {
    store.syncConfig(base());
    const ids = { alpha: feedId('alpha'), nato: store.listWatches()[0]?.id, hook: destId('hook') };
    const next = base();
    next.feeds[0] = { name: 'alpha', url: 'https://a2.example/rss', intervalSec: 120 };
    next.destinations[1] = { name: 'hook', kind: 'discord-webhook', target: `${HOOK}-rotated` };
    next.watches[0] = {
      name: 'nato',
      query: 'NATO AND Korea',
      feeds: ['alpha', 'beta'],
      destinations: ['console'],
    };
    store.syncConfig(next);

    // A new URL under the same name is a new feed; the old one is kept but nobody polls it.
    expect(feedId('alpha')).not.toBe(ids.alpha);
    expect(store.getFeed(feedId('alpha'))).toMatchObject({ url: 'https://a2.example/rss', intervalSec: 120 });
    expect(store.getFeed(ids.alpha)?.url).toBe('https://a.example/rss');
    expect(store.listDueFeeds(T0, 10).map((f) => f.id)).not.toContain(ids.alpha);
    expect(destId('hook')).toBe(ids.hook);
    expect(store.getDestination(ids.hook)?.target).toBe(`${HOOK}-rotated`);
    const nato = store.listWatches().find((w) => w.name === 'nato');
    expect(nato).toMatchObject({
      id: ids.nato,
      query: 'NATO AND Korea',
      feedIds: [feedId('alpha'), feedId('beta')],
      destinationIds: [destId('console')],
    });
  });

  it('disables what the file no longer declares, never deleting it, and revives it when declared again', () => {
    store.syncConfig(base());
    const alpha = feedId('alpha');
    const hook = destId('hook');
    const korea = store.listWatches().find((w) => w.name === 'korea');
    store.recordPollSuccess(alpha, {
      at: T0,
      etag: null,
      lastModified: null,
      title: null,
      nextPollAt: T0,
      items: [item(alpha, 'x')],
      alerts: [],
    });

    const smaller = base();
    smaller.feeds = smaller.feeds.filter((f) => f.name !== 'alpha');
    smaller.destinations = smaller.destinations.filter((d) => d.name !== 'hook');
    smaller.watches = [{ name: 'nato', query: 'NATO', feeds: null, destinations: null }];
    store.syncConfig(smaller);

    expect(store.listSubscriptions('config').map((s) => s.name)).toEqual(['beta']);
    expect(store.getFeed(alpha)).toBeDefined();
    expect(store.unseenKeys(alpha, ['x'])).toEqual(new Set());
    expect(store.getDestination(hook)).toMatchObject({ enabled: false, disabledReason: REMOVED_FROM_CONFIG });
    expect(store.listWatches().map((w) => w.name)).toEqual(['nato']);
    expect(store.listWatches()[0]?.destinationIds).toEqual([destId('console')]);
    expect(store.getWatch(korea?.id ?? -1)).toBeUndefined();
    expect(store.db.prepare('SELECT count(*) AS n FROM watches').get()).toEqual({ n: 2 });

    store.syncConfig(base());
    expect(feedId('alpha')).toBe(alpha);
    expect(store.getDestination(hook)).toMatchObject({ enabled: true, disabledReason: null });
    expect(store.listWatches().find((w) => w.name === 'korea')?.id).toBe(korea?.id);
  });

  it('keeps a destination disabled for a real reason disabled until its target changes', () => {
    store.syncConfig(base());
    const hook = destId('hook');
    store.disableDestination(hook, 'webhook not found (404)');
    store.syncConfig(base());
    expect(store.getDestination(hook)).toMatchObject({
      enabled: false,
      disabledReason: 'webhook not found (404)',
    });
    // Watches pointing at it still list: the app decides what to do with a watch that has nowhere to post.
    expect(store.listWatches().find((w) => w.name === 'korea')?.destinationIds).toEqual([hook]);

    const fixed = base();
    fixed.destinations[1] = { name: 'hook', kind: 'discord-webhook', target: `${HOOK}-new` };
    store.syncConfig(fixed);
    expect(store.getDestination(hook)).toMatchObject({ enabled: true, target: `${HOOK}-new` });
  });

  it('keeps a config feed that moved to a new URL attached to its declaration', () => {
    store.syncConfig(base());
    const alpha = feedId('alpha');
    store.updateFeedUrl(alpha, 'https://a.example/moved');
    store.syncConfig(base());
    expect(feedId('alpha')).toBe(alpha);
    expect(store.getFeed(alpha)?.url).toBe('https://a.example/moved');
    expect(store.getFeedByUrl('https://a.example/rss')).toBeUndefined();
  });

  it('lets a config feed share a feed row with a guild, and renaming keeps the same feed', () => {
    const guild = store.subscribeFeed({
      url: 'https://a.example/rss',
      scope: 'guild:9',
      name: 'a',
      intervalSec: 300,
      nextPollAt: T0,
    });
    store.syncConfig(base());
    expect(feedId('alpha')).toBe(guild.id);
    const renamed = base();
    renamed.feeds[0] = { name: 'alpha-renamed', url: 'https://a.example/rss', intervalSec: 300 };
    renamed.watches = [];
    store.syncConfig(renamed);
    expect(feedId('alpha-renamed')).toBe(guild.id);
    expect(store.subscriptionsOf(guild.id).map((s) => s.name)).toEqual(['alpha-renamed', 'a']);
  });

  it('throws on a watch naming an unknown feed or destination, and applies nothing', () => {
    const bad = base();
    bad.watches = [{ name: 'x', query: 'x', feeds: ['nope'], destinations: null }];
    expect(() => store.syncConfig(bad)).toThrow(/unknown feed "nope"/);
    expect(store.listSubscriptions()).toEqual([]);
    bad.watches = [{ name: 'x', query: 'x', feeds: null, destinations: ['nowhere'] }];
    expect(() => store.syncConfig(bad)).toThrow(/unknown destination "nowhere"/);
  });

  it('fails the queued alerts of a destination removed from the file', () => {
    store.syncConfig(base());
    const alpha = feedId('alpha');
    const nato = store.listWatches().find((w) => w.name === 'nato')?.id ?? -1;
    store.recordPollSuccess(alpha, {
      at: T0,
      etag: null,
      lastModified: null,
      title: null,
      nextPollAt: T0,
      items: [item(alpha, 'x')],
      alerts: [alertFor(alpha, nato, destId('hook'), 'x'), alertFor(alpha, nato, destId('console'), 'x')],
    });
    const smaller = base();
    smaller.destinations = [smaller.destinations[0]!];
    smaller.watches = [smaller.watches[0]!];
    store.syncConfig(smaller);
    expect(store.listPendingAlerts(T0, 10).map((r) => r.destinationId)).toEqual([destId('console')]);
  });
});
