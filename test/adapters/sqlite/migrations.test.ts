import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../../../src/adapters/sqlite/sqlite-store.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, migrate } from '../../../src/adapters/sqlite/migrations.js';
import { SchemaTooNewError } from '../../../src/adapters/sqlite/store-errors.js';
import { T0, tempDir } from './store-fixtures.js';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

const versions = (db: Database.Database): number[] =>
  db
    .prepare<[], { version: number }>('SELECT version FROM schema_migrations ORDER BY version')
    .all()
    .map((r) => r.version);

describe('migrations', () => {
  it('creates every table on a fresh file database, in WAL mode with foreign keys on, creating the directory', () => {
    const path = join(tmp.dir, 'nested', 'data', 'wirewatch.db');
    const store = openStore(path, { now: () => T0 });
    try {
      expect(existsSync(path)).toBe(true);
      const tables = store.db
        .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .all()
        .map((r) => r.name);
      expect(tables).toEqual(
        expect.arrayContaining([
          'destinations',
          'feed_subscriptions',
          'feeds',
          'outbox',
          'schema_migrations',
          'seen_items',
          'watch_destinations',
          'watches',
        ]),
      );
      expect(versions(store.db)).toEqual(MIGRATIONS.map((m) => m.version));
      const appliedAt = store.db
        .prepare<[], { applied_at: number }>('SELECT applied_at FROM schema_migrations')
        .all();
      expect(appliedAt.every((r) => r.applied_at === T0.getTime())).toBe(true);
      expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(store.db.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
    } finally {
      store.close();
    }
  });

  it('applies nothing when reopening an up-to-date database', () => {
    const path = join(tmp.dir, 'w.db');
    openStore(path).close();
    const db = new Database(path);
    try {
      expect(migrate(db).applied).toEqual([]);
      expect(versions(db)).toEqual(MIGRATIONS.map((m) => m.version));
    } finally {
      db.close();
    }
  });

  it('upgrades a database that has only migration 1, keeping its rows', () => {
    const path = join(tmp.dir, 'old.db');
    const old = new Database(path);
    migrate(old, { upTo: 1 });
    expect(versions(old)).toEqual([1]);
    old
      .prepare(
        "INSERT INTO feeds (url, interval_sec, next_poll_at, created_at, primed_at) VALUES ('https://a.example/rss', 300, 1, 1, 1)",
      )
      .run();
    old
      .prepare(
        "INSERT INTO feed_subscriptions (feed_id, scope, name, created_at) VALUES (1, 'config', 'a', 1)",
      )
      .run();
    old
      .prepare(
        "INSERT INTO seen_items (feed_id, item_key, title, summary, first_seen_at, last_seen_at) VALUES (1, 'k1', 't', 's', 1, ?)",
      )
      .run(T0.getTime());
    old.close();

    const store = openStore(path);
    try {
      expect(versions(store.db)).toEqual(MIGRATIONS.map((m) => m.version));
      expect(store.getFeedByUrl('https://a.example/rss')?.primedAt?.getTime()).toBe(1);
      expect(store.unseenKeys(1, ['k1', 'k2'])).toEqual(new Set(['k2']));
      // Migration 2 backfilled the declared URL, so a config sync with the same declaration keeps the same feed.
      const declared = store.db
        .prepare<[], { declared_url: string | null }>('SELECT declared_url FROM feed_subscriptions')
        .get();
      expect(declared?.declared_url).toBe('https://a.example/rss');
      store.syncConfig({
        feeds: [{ name: 'a', url: 'https://a.example/rss', intervalSec: 300 }],
        destinations: [],
        watches: [],
        now: T0,
      });
      expect(store.listSubscriptions('config')).toEqual([
        { feedId: 1, scope: 'config', name: 'a', channelId: null },
      ]);
    } finally {
      store.close();
    }
  });

  it('refuses a database written by a newer build, saying which versions are involved', () => {
    const path = join(tmp.dir, 'new.db');
    openStore(path).close();
    const db = new Database(path);
    db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(
      LATEST_SCHEMA_VERSION + 7,
      0,
    );
    db.close();

    let caught: unknown;
    try {
      openStore(path);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(SchemaTooNewError);
    const err = caught as SchemaTooNewError;
    expect(err.name).toBe('SchemaTooNewError');
    expect(err.code).toBe('db-too-new');
    expect(err.databaseVersion).toBe(LATEST_SCHEMA_VERSION + 7);
    expect(err.supportedVersion).toBe(LATEST_SCHEMA_VERSION);
    expect(err.message).toContain(`version ${LATEST_SCHEMA_VERSION + 7}`);
    expect(err.message).toContain(`up to version ${LATEST_SCHEMA_VERSION}`);
    // The refused database is left untouched.
    const check = new Database(path);
    expect(versions(check)).toEqual([...MIGRATIONS.map((m) => m.version), LATEST_SCHEMA_VERSION + 7]);
    check.close();
  });

  it('works in memory and close() is safe to call twice', () => {
    const store = openStore(':memory:');
    expect(versions(store.db)).toEqual(MIGRATIONS.map((m) => m.version));
    store.close();
    expect(() => store.close()).not.toThrow();
    expect(store.db.open).toBe(false);
  });
});

describe('a failing migration', () => {
  it('is rolled back on its own, leaving the earlier ones applied', () => {
    const db = new Database(':memory:');
    try {
      const steps = [
        { version: 1, description: 'ok', sql: 'CREATE TABLE a (x INTEGER)' },
        { version: 2, description: 'broken', sql: 'CREATE TABLE b (x INTEGER); CREATE TABLE a (y INTEGER);' },
      ];
      expect(() => migrate(db, { migrations: steps })).toThrow(/already exists/);
      expect(versions(db)).toEqual([1]);
      const tables = db
        .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .all()
        .map((r) => r.name);
      expect(tables).toEqual(['a', 'schema_migrations']);
    } finally {
      db.close();
    }
  });
});
