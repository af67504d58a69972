import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { LATEST_SCHEMA_VERSION, migrate } from './migrations.js';
import { SqliteStore } from './sqlite-store.js';
import { DatabaseUnavailableError, SchemaTooNewError } from './store-errors.js';

export interface OpenStoreOptions {
  /** Clock for created_at columns (tests pin it). */
  now?: () => Date;
}

/** A SQLite handle is in-process: another writer (a second wirewatch on the same file) waits this long. */
const BUSY_TIMEOUT_MS = 5000;
const PAGE_CACHE_KIB = 8192;

const isMemory = (path: string): boolean => path === ':memory:' || path === '';

/**
 * Opens (creating if needed) the database at `path`, or an in-memory one for ':memory:', and brings its schema up
 * to date. Throws SchemaTooNewError for a database written by a newer wirewatch.
 */
export function openStore(path: string, options: OpenStoreOptions = {}): SqliteStore {
  if (!isMemory(path)) mkdirSync(dirname(resolve(path)), { recursive: true });
  const db = new Database(path);
  try {
    // WAL lets readers (e.g. check commands) run beside the bot's writes; in-memory databases cannot use it.
    if (!isMemory(path)) db.pragma('journal_mode = WAL');
    // With WAL, NORMAL syncs at checkpoints instead of on every commit (a poll is a commit): a crashed process
    // loses nothing, and a power cut can only roll back the last polls, which the next ones redo. The database is
    // never corrupted either way.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // better-sqlite3 builds SQLite with a 16 MiB page cache; a poll touches one feed's rows and the ends of a few
    // indexes, and the operating system caches the file anyway, so half of that is resident memory better spent.
    db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
    migrate(db, { now: options.now, location: isMemory(path) ? undefined : path });
  } catch (err) {
    db.close();
    throw err;
  }
  return new SqliteStore(db, options.now);
}

/**
 * Opens an existing database for reading only, beside a running bot (WAL lets both work): nothing is created,
 * migrated or written. Throws DatabaseUnavailableError when there is no database or its schema is older than this
 * build, SchemaTooNewError when it is newer.
 */
export function openStoreReadOnly(path: string): SqliteStore {
  if (!existsSync(path))
    throw new DatabaseUnavailableError(
      'db-missing',
      `no database at ${path}: wirewatch has not run there yet`,
    );
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    const hasTable = db
      .prepare<[], { n: number }>("SELECT count(*) AS n FROM sqlite_master WHERE name = 'schema_migrations'")
      .get();
    const versions = hasTable?.n
      ? db
          .prepare<[], { version: number }>('SELECT version FROM schema_migrations')
          .all()
          .map((r) => r.version)
      : [];
    const have = Math.max(0, ...versions);
    if (have > LATEST_SCHEMA_VERSION) throw new SchemaTooNewError(have, LATEST_SCHEMA_VERSION, path);
    if (have < LATEST_SCHEMA_VERSION)
      throw new DatabaseUnavailableError(
        'db-outdated',
        `database ${path} has schema version ${have}, this wirewatch expects ${LATEST_SCHEMA_VERSION}: ` +
          'start the bot once (it upgrades the database), then try again',
      );
  } catch (err) {
    db.close();
    throw err;
  }
  return new SqliteStore(db);
}
