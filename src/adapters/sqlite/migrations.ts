import type Database from 'better-sqlite3';
import { SchemaTooNewError } from './store-errors.js';

/**
 * Numbered schema migrations. A migration, once released, is never edited: fix mistakes with a new one, because
 * databases in the field have already run the old text.
 */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'feeds, subscriptions, seen items, watches, destinations, outbox',
    sql: `
      CREATE TABLE feeds (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        title TEXT,
        interval_sec INTEGER NOT NULL,
        etag TEXT,
        last_modified TEXT,
        last_success_at INTEGER,
        last_error_at INTEGER,
        last_error_code TEXT,
        last_error_message TEXT,
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        next_poll_at INTEGER NOT NULL,
        primed_at INTEGER,
        enabled INTEGER NOT NULL DEFAULT 1,
        moved_to_url TEXT,
        moved_count INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX feeds_due ON feeds (next_poll_at) WHERE enabled = 1;

      CREATE TABLE feed_subscriptions (
        feed_id INTEGER NOT NULL REFERENCES feeds (id),
        scope TEXT NOT NULL,
        name TEXT NOT NULL,
        channel_id TEXT,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (scope, feed_id),
        UNIQUE (scope, name)
      );
      CREATE INDEX feed_subscriptions_feed ON feed_subscriptions (feed_id);

      CREATE TABLE seen_items (
        feed_id INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
        item_key TEXT NOT NULL,
        title TEXT NOT NULL,
        link TEXT,
        summary TEXT NOT NULL,
        published INTEGER,
        updated INTEGER,
        author TEXT,
        categories TEXT NOT NULL DEFAULT '[]',
        first_seen_at INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL,
        PRIMARY KEY (feed_id, item_key)
      );

      CREATE TABLE destinations (
        id INTEGER PRIMARY KEY,
        scope TEXT NOT NULL,
        name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('console', 'discord-webhook', 'discord-channel')),
        target TEXT NOT NULL,
        enabled INTEGER NOT NULL DEFAULT 1,
        disabled_reason TEXT,
        created_at INTEGER NOT NULL,
        UNIQUE (scope, kind, target)
      );

      CREATE TABLE watches (
        id INTEGER PRIMARY KEY,
        scope TEXT NOT NULL,
        name TEXT NOT NULL,
        query TEXT NOT NULL,
        feed_ids TEXT,
        paused INTEGER NOT NULL DEFAULT 0,
        muted_until INTEGER,
        mention_role_id TEXT,
        color INTEGER,
        enabled INTEGER NOT NULL DEFAULT 1,
        created_at INTEGER NOT NULL,
        UNIQUE (scope, name)
      );

      CREATE TABLE watch_destinations (
        watch_id INTEGER NOT NULL REFERENCES watches (id) ON DELETE CASCADE,
        destination_id INTEGER NOT NULL REFERENCES destinations (id),
        PRIMARY KEY (watch_id, destination_id)
      );

      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        destination_id INTEGER NOT NULL REFERENCES destinations (id),
        watch_id INTEGER NOT NULL REFERENCES watches (id) ON DELETE CASCADE,
        feed_id INTEGER NOT NULL REFERENCES feeds (id),
        item_key TEXT NOT NULL,
        alert TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        delivered_at INTEGER,
        last_error TEXT,
        nonce TEXT NOT NULL UNIQUE,
        remote_id TEXT,
        UNIQUE (destination_id, watch_id, feed_id, item_key)
      );
      CREATE INDEX outbox_pending ON outbox (next_attempt_at) WHERE status = 'pending';
    `,
  },
  {
    version: 2,
    description:
      'subscription declared URL (config sync across feed moves); indexes for pruning and ordered delivery',
    sql: `
      -- The URL a scope asked for. A feed that moved (permanent redirects) has a new url, but the config file still
      -- names the old one; comparing with declared_url tells "the feed moved" from "the user edited the URL".
      ALTER TABLE feed_subscriptions ADD COLUMN declared_url TEXT;
      UPDATE feed_subscriptions SET declared_url = (SELECT url FROM feeds WHERE feeds.id = feed_subscriptions.feed_id);
      CREATE INDEX seen_items_last_seen ON seen_items (feed_id, last_seen_at);
      -- Delivery keeps each destination's alerts in order: this finds an earlier alert still waiting for a retry.
      CREATE INDEX outbox_pending_destination ON outbox (destination_id, id) WHERE status = 'pending';
    `,
  },
  {
    version: 3,
    description: 'Discord server settings and one-time notices',
    sql: `
      -- Per-server settings from /wirewatch settings; NULL means "use the config default".
      CREATE TABLE guild_settings (
        guild_id TEXT PRIMARY KEY,
        manager_role_id TEXT,
        digest_threshold INTEGER,
        -- Quiet hours as minutes after midnight UTC; alerts in them are posted without pinging anyone.
        quiet_start INTEGER,
        quiet_end INTEGER,
        updated_at INTEGER NOT NULL
      );
      -- Problems the server was told about (a channel the bot lost access to...), so each is told once and
      -- /wirewatch status can still show it when the channel itself could not be written to.
      CREATE TABLE guild_notices (
        guild_id TEXT NOT NULL,
        notice_key TEXT NOT NULL,
        message TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (guild_id, notice_key)
      );
    `,
  },
  {
    version: 4,
    description: 'explicit poll interval per subscription (the adaptive interval leaves those feeds alone)',
    sql: `
      -- The interval a scope set itself (the config file's "interval:"); NULL lets the adaptive interval decide.
      -- Kept on the subscription, so it goes away with the declaration instead of pinning the feed forever.
      ALTER TABLE feed_subscriptions ADD COLUMN interval_sec INTEGER;
    `,
  },
  {
    version: 5,
    description:
      'stories (one wire story across feeds), alert updates, per-channel quiet hours and rate caps',
    sql: `
      -- A story groups the items of many feeds that tell the same news; kept for the grouping window, so a restart
      -- keeps grouping where it was. The first item's title and summary tell a later headline's real change.
      CREATE TABLE stories (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        summary TEXT NOT NULL,
        first_seen_at INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL
      );
      CREATE INDEX stories_last_seen ON stories (last_seen_at);
      -- Which story an item joined, with its MinHash signature (the LSH index is rebuilt from these at start).
      CREATE TABLE story_items (
        feed_id INTEGER NOT NULL,
        item_key TEXT NOT NULL,
        story_id TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
        signature BLOB NOT NULL,
        wire TEXT,
        seen_at INTEGER NOT NULL,
        PRIMARY KEY (feed_id, item_key)
      );
      CREATE INDEX story_items_story ON story_items (story_id, seen_at);
      -- The story an alert was about: a later item of that story updates the alert instead of posting a new one.
      ALTER TABLE outbox ADD COLUMN story_id TEXT;
      CREATE INDEX outbox_story ON outbox (story_id, watch_id, destination_id) WHERE story_id IS NOT NULL;
      -- Changes to an alert already queued: another outlet carrying its story (the message is edited to list it),
      -- or a follow-up posted in a thread under it. Delivered after the alert itself, like the outbox.
      CREATE TABLE alert_updates (
        id INTEGER PRIMARY KEY,
        outbox_id INTEGER NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
        destination_id INTEGER NOT NULL REFERENCES destinations (id),
        feed_id INTEGER NOT NULL,
        item_key TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('also-reported', 'follow-up')),
        report TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        delivered_at INTEGER,
        last_error TEXT,
        nonce TEXT NOT NULL UNIQUE,
        UNIQUE (outbox_id, feed_id, item_key)
      );
      CREATE INDEX alert_updates_pending ON alert_updates (destination_id, id) WHERE status = 'pending';
      -- Per-destination (channel) delivery policy; NULL columns fall back to the config file.
      CREATE TABLE destination_settings (
        destination_id INTEGER PRIMARY KEY REFERENCES destinations (id) ON DELETE CASCADE,
        quiet_start INTEGER,
        quiet_end INTEGER,
        rate_max INTEGER,
        rate_window_sec INTEGER,
        updated_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 6,
    description: "the thread of an alert's follow-ups",
    sql: `
      -- Follow-ups of a story (its headline moved on) go to a thread under the alert; started with the first one.
      ALTER TABLE outbox ADD COLUMN thread_id TEXT;
    `,
  },
  {
    version: 7,
    description: 'fingerprints of item XML',
    sql: `
      -- An item whose XML has not changed since the last poll is not parsed again (see item-sources.ts); NULL for
      -- items recorded before this version, which are simply parsed once more.
      ALTER TABLE seen_items ADD COLUMN source_hash TEXT;
      -- Both read on every poll; without them each read walks the feed's whole rows (summaries and all).
      CREATE INDEX seen_items_source ON seen_items (feed_id, source_hash, item_key) WHERE source_hash IS NOT NULL;
      CREATE INDEX seen_items_recency ON seen_items (feed_id, COALESCE(published, first_seen_at));
    `,
  },
];

export const LATEST_SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));

/** Versions recorded in the database (empty for a fresh one). */
export function appliedVersions(db: Database.Database): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    applied_at INTEGER NOT NULL
  )`);
  return db
    .prepare<[], { version: number }>('SELECT version FROM schema_migrations ORDER BY version')
    .all()
    .map((r) => r.version);
}

/**
 * Brings the schema up to `upTo` (default: the latest), one transaction per migration, so a crash leaves the
 * database at a well-defined version. Refuses a database written by a newer build: its schema may mean things this
 * build does not know, and "upgrading" it would corrupt it.
 */
export function migrate(
  db: Database.Database,
  options: { upTo?: number; now?: () => Date; location?: string; migrations?: readonly Migration[] } = {},
): { applied: number[] } {
  const migrations = options.migrations ?? MIGRATIONS;
  const known = new Set(migrations.map((m) => m.version));
  const latest = Math.max(...known);
  const have = appliedVersions(db);
  const unknown = have.filter((v) => !known.has(v));
  if (unknown.length > 0) {
    throw new SchemaTooNewError(Math.max(...have), latest, options.location ?? null);
  }
  const upTo = options.upTo ?? latest;
  const now = options.now ?? (() => new Date());
  const record = db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)');
  const applied: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (m.version > upTo || have.includes(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, now().getTime());
    })();
    applied.push(m.version);
  }
  return { applied };
}
