import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type SqliteStore } from '../../src/adapters/sqlite/sqlite-store.js';
import { GuildAdmin } from '../../src/app/guild-admin.js';
import { WatchManagement } from '../../src/app/watch-management.js';
import { WatchRegistry } from '../../src/app/watch-registry.js';
import type { Log, StoredItem } from '../../src/app/ports.js';

const silent: Log = { debug() {}, info() {}, warn() {}, error() {} };
const A = 'guild:1' as const;
const B = 'guild:2' as const;

describe('watch management and server administration', () => {
  let store: SqliteStore;
  let registry: WatchRegistry;
  let watches: WatchManagement;
  let guilds: GuildAdmin;
  let now = new Date('2026-05-10T12:00:00Z');
  const clock = { now: () => now };

  const item = (feedId: number, key: string, title: string, daysAgo: number): StoredItem => ({
    feedId,
    key,
    title,
    link: `https://n.example/${key}`,
    summary: '',
    published: new Date(now.getTime() - daysAgo * 86_400_000),
    updated: null,
    author: null,
    categories: [],
    firstSeenAt: now,
  });

  beforeEach(() => {
    now = new Date('2026-05-10T12:00:00Z');
    store = openStore(':memory:', { now: clock.now });
    registry = new WatchRegistry();
    watches = new WatchManagement({ store, watches: registry, clock, limits: { watchesPerServer: 2 } });
    guilds = new GuildAdmin({
      store,
      watches: registry,
      clock,
      log: silent,
      digestThreshold: 5,
      failureThreshold: 3,
    });
    const feedA = store.subscribeFeed({
      url: 'https://a.example/rss',
      scope: A,
      name: 'wire',
      intervalSec: 300,
      nextPollAt: now,
    });
    const feedB = store.subscribeFeed({
      url: 'https://b.example/rss',
      scope: B,
      name: 'other',
      intervalSec: 300,
      nextPollAt: now,
    });
    store.recordPollSuccess(feedA.id, {
      at: now,
      etag: null,
      lastModified: null,
      title: 'Wire',
      nextPollAt: now,
      items: [
        item(feedA.id, 'k1', 'NATO meets', 1),
        item(feedA.id, 'k2', 'NATO old news', 9),
        item(feedA.id, 'k3', 'Rain', 1),
      ],
      alerts: [],
    });
    store.recordPollSuccess(feedB.id, {
      at: now,
      etag: null,
      lastModified: null,
      title: 'Other',
      nextPollAt: now,
      items: [item(feedB.id, 'b1', 'NATO in server B only', 1)],
      alerts: [],
    });
  });
  afterEach(() => store.close());

  it("previews the scope's own items of the last 7 days only", () => {
    const result = watches.addWatch({ scope: A, query: 'NATO', channelId: '55' });
    if (!result.ok) throw new Error(result.message);
    expect(result.preview.count).toBe(1);
    expect(result.preview.scanned).toBe(2);
    expect(result.preview.examples.map((e) => [e.item.title, e.feedTitle, e.terms])).toEqual([
      ['NATO meets', 'Wire', ['NATO']],
    ]);
    expect(registry.size).toBe(1);
    expect(store.listDestinations(A)).toMatchObject([
      { kind: 'discord-channel', target: '55', enabled: true },
    ]);
  });

  it('refuses syntax errors, taken names, unknown feeds and more than the limit', () => {
    const bad = watches.addWatch({ scope: A, query: '(NATO', channelId: '55' });
    expect(bad).toMatchObject({ ok: false, code: 'query-syntax' });
    expect(bad.ok ? '' : bad.caret).toMatch(/^\(NATO\n\s*\^$/);
    expect(watches.addWatch({ scope: A, query: 'NATO', name: 'x', channelId: '55' }).ok).toBe(true);
    expect(watches.addWatch({ scope: A, query: 'Rain', name: 'X', channelId: '55' })).toMatchObject({
      code: 'name-taken',
    });
    expect(
      watches.addWatch({ scope: A, query: 'Rain', channelId: '55', feedNames: ['other'] }),
    ).toMatchObject({
      code: 'unknown-feed',
    });
    expect(watches.addWatch({ scope: A, query: 'Rain', channelId: '55' }).ok).toBe(true);
    expect(watches.addWatch({ scope: A, query: 'Sun', channelId: '55' })).toMatchObject({
      code: 'limit-reached',
    });
  });

  it('pauses, mutes and resumes only watches of the same scope', () => {
    const added = watches.addWatch({ scope: A, query: 'NATO', name: 'nato', channelId: '55' });
    if (!added.ok) throw new Error(added.message);
    expect(watches.pauseWatch(B, added.watch.id)).toMatchObject({ ok: false, code: 'not-found' });
    expect(watches.pauseWatch(B, 'nato')).toMatchObject({ ok: false, code: 'not-found' });
    expect(watches.muteWatch(A, added.watch.id, new Date(now.getTime() + 3600_000))).toMatchObject({
      ok: true,
    });
    const input = { title: 'NATO', summary: '', link: null, author: null, categories: [], feedTitle: 'Wire' };
    const feed = { id: added.watch.feedIds?.[0] ?? 1, scopes: new Set([A] as const) };
    expect(registry.match(input, feed, now)).toEqual([]);
    expect(watches.resumeWatch(A, 'NATO')).toMatchObject({
      ok: true,
      watch: { paused: false, mutedUntil: null },
    });
    expect(registry.match(input, feed, now)).toHaveLength(1);
  });

  it('keeps quiet hours across midnight and falls back to the default digest threshold', () => {
    const dest = store.ensureDestination({ scope: A, name: '#a', kind: 'discord-channel', target: '55' });
    expect(guilds.digestThresholdFor(dest)).toBe(5);
    guilds.updateSettings('1', { digestThreshold: 2, quietHours: { start: 22 * 60, end: 7 * 60 } });
    expect(guilds.digestThresholdFor(dest)).toBe(2);
    expect(guilds.isQuiet(dest, new Date('2026-05-10T23:30:00Z'))).toBe(true);
    expect(guilds.isQuiet(dest, new Date('2026-05-10T06:59:00Z'))).toBe(true);
    expect(guilds.isQuiet(dest, new Date('2026-05-10T07:00:00Z'))).toBe(false);
    const other = store.ensureDestination({ scope: B, name: '#b', kind: 'discord-channel', target: '66' });
    expect(guilds.isQuiet(other, new Date('2026-05-10T23:30:00Z'))).toBe(false);
  });

  it('records an access notice once, and forgets the server entirely when the bot leaves', () => {
    watches.addWatch({ scope: A, query: 'NATO', channelId: '55' });
    const dest = store.listDestinations(A)[0]!;
    expect(guilds.accessLost(dest, 'Missing Permissions')).toContain('<#55>');
    expect(guilds.accessLost(dest, 'Missing Permissions')).toBeNull();
    expect(guilds.status('1').notices).toHaveLength(1);
    expect(guilds.leaveGuild('1')).toEqual({ feeds: 1, watches: 1 });
    expect(store.listWatches(A)).toEqual([]);
    expect(store.listSubscriptions(A)).toEqual([]);
    expect(store.listNotices('1')).toEqual([]);
    expect(store.getDestination(dest.id)?.enabled).toBe(false);
    expect(registry.size).toBe(0);
    expect(store.listSubscriptions(B)).toHaveLength(1);
  });
});
