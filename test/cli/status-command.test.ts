import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/adapters/sqlite/migrations.js';
import { openStore } from '../../src/adapters/sqlite/sqlite-store.js';
import type { FeedStatusEntry } from '../../src/commands/status-command.js';
import { runCliCaptured } from '../support/run-cli.js';

const T0 = new Date('2026-06-01T10:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

describe('wirewatch status', () => {
  let dir: string;
  let configPath: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wirewatch-status-'));
    configPath = join(dir, 'wirewatch.yaml');
    writeFileSync(
      configPath,
      [
        `dataDir: ${dir}`,
        'poll:',
        '  failureThreshold: 3',
        'feeds:',
        '  - name: wire',
        '    url: https://wire.example/rss',
        '    interval: 2m',
        '  - name: blog',
        '    url: https://blog.example/atom',
      ].join('\n'),
    );
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A database as the bot would leave it: one healthy feed, one failing, one from Discord never polled. */
  function seed(): void {
    const store = openStore(join(dir, 'wirewatch.db'), { now: () => T0 });
    store.syncConfig({
      now: T0,
      feeds: [
        { name: 'wire', url: 'https://wire.example/rss', intervalSec: 120, intervalExplicit: true },
        { name: 'blog', url: 'https://blog.example/atom', intervalSec: 300, intervalExplicit: false },
      ],
      destinations: [],
      watches: [],
    });
    const [wire, blog] = store.listFeeds();
    store.recordPollSuccess(wire!.id, {
      at: at(1),
      etag: null,
      lastModified: null,
      title: 'Wire',
      nextPollAt: at(3),
      items: [],
      alerts: [],
    });
    store.subscribeFeed({
      url: 'https://wire.example/rss',
      scope: 'guild:42',
      name: 'World wire',
      channelId: '77',
      intervalSec: 300,
      nextPollAt: at(3),
    });
    store.recordPollSuccess(blog!.id, {
      at: at(0),
      etag: null,
      lastModified: null,
      title: 'Blog',
      nextPollAt: at(5),
      intervalSec: 1800,
      items: [],
      alerts: [],
    });
    for (let n = 1; n <= 4; n++)
      store.recordFailure(blog!.id, {
        at: at(10 * n),
        code: 'http-5xx',
        message: 'HTTP 503 Service Unavailable',
        nextPollAt: at(10 * n + 30),
      });
    store.subscribeFeed({
      url: 'https://new.example/feed.json',
      scope: 'guild:42',
      name: 'fresh',
      intervalSec: 300,
      nextPollAt: at(2),
    });
    store.close();
  }

  it('lists every feed with its names, status, last success, last error, interval and next poll', async () => {
    seed();
    const { code, stdout, stderr } = await runCliCaptured(['status', '-c', configPath], {}, dir);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(`Database: ${join(dir, 'wirewatch.db')}`);
    expect(stdout).toContain('Feeds: 3 (1 ok, 1 failing, 1 waiting)');
    const blocks = stdout.split('\n\n').slice(1);
    expect(blocks).toHaveLength(3);
    const [wire, blog, fresh] = blocks;
    expect(wire).toContain('wire [config], World wire [guild:42]');
    expect(wire).toContain('  url:          https://wire.example/rss');
    expect(wire).toMatch(/ {2}status: {7}ok\n/);
    expect(wire).toContain(`  last success: ${at(1).toISOString()} (`);
    expect(wire).toContain('  last error:   never');
    expect(wire).toContain('  interval:     2m (set in config)');
    expect(wire).toContain(`  next poll:    ${at(3).toISOString()} (`);
    expect(blog).toContain('blog [config]');
    expect(blog).toContain('  status:       failing (http-5xx, 4 failures in a row)');
    expect(blog).toContain(`  last success: ${at(0).toISOString()}`);
    expect(blog).toContain(`  last error:   ${at(40).toISOString()} (`);
    expect(blog).toContain('http-5xx: HTTP 503 Service Unavailable');
    expect(blog).toContain('  interval:     30m (adaptive)');
    expect(blog).toContain(`  next poll:    ${at(70).toISOString()}`);
    expect(fresh).toContain('fresh [guild:42]');
    expect(fresh).toContain('  status:       waiting');
    expect(fresh).toContain('  last success: never');
  });

  it('prints the same facts as JSON with --json', async () => {
    seed();
    const { code, stdout } = await runCliCaptured(['status', '--json', '-c', configPath], {}, dir);
    expect(code).toBe(0);
    const parsed = JSON.parse(stdout) as { failureThreshold: number; feeds: FeedStatusEntry[] };
    expect(parsed.failureThreshold).toBe(3);
    expect(parsed.feeds.map((f) => [f.url, f.status])).toEqual([
      ['https://wire.example/rss', 'ok'],
      ['https://blog.example/atom', 'failing'],
      ['https://new.example/feed.json', 'waiting'],
    ]);
    expect(parsed.feeds[1]).toEqual({
      id: 2,
      url: 'https://blog.example/atom',
      title: 'Blog',
      subscriptions: [{ scope: 'config', name: 'blog', channelId: null }],
      status: 'failing',
      lastSuccessAt: at(0).toISOString(),
      lastError: { code: 'http-5xx', message: 'HTTP 503 Service Unavailable', at: at(40).toISOString() },
      consecutiveFailures: 4,
      intervalSec: 1800,
      intervalSource: 'adaptive',
      nextPollAt: at(70).toISOString(),
    });
    expect(parsed.feeds[0]?.subscriptions).toEqual([
      { scope: 'config', name: 'wire', channelId: null },
      { scope: 'guild:42', name: 'World wire', channelId: '77' },
    ]);
  });

  it('calls a feed below the failure threshold retrying, and one nobody subscribes to inactive', async () => {
    seed();
    const store = openStore(join(dir, 'wirewatch.db'));
    const fresh = store.listFeeds()[2]!;
    store.recordFailure(fresh.id, { at: at(5), code: 'dns', message: 'no such host', nextPollAt: at(9) });
    store.unsubscribeFeed(store.listFeeds()[0]!.id, 'config');
    store.unsubscribeFeed(store.listFeeds()[0]!.id, 'guild:42');
    store.close();
    const { stdout } = await runCliCaptured(['status', '--json', '-c', configPath], {}, dir);
    const feeds = (JSON.parse(stdout) as { feeds: FeedStatusEntry[] }).feeds;
    expect(feeds.map((f) => f.status)).toEqual(['inactive', 'failing', 'retrying']);
    expect(feeds[0]?.nextPollAt).toBeNull();
  });

  it('only reads: the database file is unchanged afterwards', async () => {
    seed();
    const before = readFileSync(join(dir, 'wirewatch.db'));
    expect((await runCliCaptured(['status', '-c', configPath], {}, dir)).code).toBe(0);
    expect(readFileSync(join(dir, 'wirewatch.db')).equals(before)).toBe(true);
  });

  it('says so, with exit 1, when the bot has not created a database yet, and creates none', async () => {
    const { code, stdout, stderr } = await runCliCaptured(['status', '-c', configPath], {}, dir);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain(`no database at ${join(dir, 'wirewatch.db')}`);
    expect(() => readFileSync(join(dir, 'wirewatch.db'))).toThrow();
  });

  it('refuses a database with an older schema instead of upgrading it', async () => {
    const db = new Database(join(dir, 'wirewatch.db'));
    migrate(db, { upTo: 1 });
    db.close();
    const { code, stderr } = await runCliCaptured(['status', '-c', configPath], {}, dir);
    expect(code).toBe(1);
    expect(stderr).toContain('has schema version 1');
    expect(stderr).toContain('start the bot once');
    const after = new Database(join(dir, 'wirewatch.db'), { readonly: true });
    expect(after.prepare('SELECT max(version) AS v FROM schema_migrations').get()).toEqual({ v: 1 });
    after.close();
  });

  it('exits 2 on a bad config', async () => {
    writeFileSync(configPath, 'poll:\n  failureThreshold: -1\n');
    const { code, stderr } = await runCliCaptured(['status', '-c', configPath], {}, dir);
    expect(code).toBe(2);
    expect(stderr).not.toBe('');
  });
});
