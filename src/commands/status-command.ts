import { DatabaseUnavailableError, SchemaTooNewError } from '../adapters/sqlite/store-errors.js';
import { openStoreReadOnly } from '../adapters/sqlite/sqlite-store.js';
import type { FeedRow, FeedSubscriptionRow, Store } from '../app/ports.js';
import { ConfigError, formatDuration, loadConfig } from '../config/index.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliIo } from './cli-io.js';

export interface StatusOptions {
  config?: string;
  json?: boolean;
}

/** ok: the last poll worked; retrying: it failed, fewer times than the threshold; failing: at or past it;
 * waiting: never polled yet; inactive: nobody subscribes (or the config dropped it), so it is not polled. */
export type FeedStatus = 'ok' | 'retrying' | 'failing' | 'waiting' | 'inactive';

export interface FeedStatusEntry {
  id: number;
  url: string;
  title: string | null;
  subscriptions: Array<{ scope: string; name: string; channelId: string | null }>;
  status: FeedStatus;
  lastSuccessAt: string | null;
  lastError: { code: string | null; message: string | null; at: string } | null;
  consecutiveFailures: number;
  intervalSec: number;
  /** 'config' when the config file set the interval, else 'adaptive'. */
  intervalSource: 'config' | 'adaptive';
  nextPollAt: string | null;
}

/**
 * `wirewatch status [--json]`: every feed in the database the config points at, with its health, last success,
 * last error and next poll. Reads the database only (it can run beside the bot). Exit 0; 1 when there is no
 * usable database; 2 for a bad config.
 */
export async function statusCommand(opts: StatusOptions, io: CliIo): Promise<number> {
  let config;
  try {
    config = loadConfig({ path: opts.config, env: io.env, cwd: io.cwd }).config;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.stderr(`${err.message}\n`);
    return EXIT_USAGE;
  }
  let store: Store;
  try {
    store = openStoreReadOnly(config.databasePath);
  } catch (err) {
    if (!(err instanceof DatabaseUnavailableError || err instanceof SchemaTooNewError)) throw err;
    io.stderr(`wirewatch status: ${err.message}\n`);
    return EXIT_FAILURE;
  }
  try {
    const feeds = store
      .listFeeds()
      .map((feed) => entry(store, feed, store.subscriptionsOf(feed.id), config.poll.failureThreshold));
    if (opts.json) {
      io.stdout(
        `${JSON.stringify({ database: config.databasePath, failureThreshold: config.poll.failureThreshold, feeds }, null, 2)}\n`,
      );
    } else {
      io.stdout(`${render(config.databasePath, feeds, new Date()).join('\n')}\n`);
    }
    return EXIT_OK;
  } finally {
    store.close();
  }
}

function entry(
  store: Store,
  feed: FeedRow,
  subs: FeedSubscriptionRow[],
  failureThreshold: number,
): FeedStatusEntry {
  const active = feed.enabled && subs.length > 0;
  let status: FeedStatus;
  if (!active) status = 'inactive';
  else if (feed.consecutiveFailures >= failureThreshold) status = 'failing';
  else if (feed.consecutiveFailures > 0) status = 'retrying';
  else status = feed.lastSuccessAt ? 'ok' : 'waiting';
  return {
    id: feed.id,
    url: feed.url,
    title: feed.title,
    subscriptions: subs.map((s) => ({ scope: s.scope, name: s.name, channelId: s.channelId })),
    status,
    lastSuccessAt: feed.lastSuccessAt?.toISOString() ?? null,
    lastError: feed.lastErrorAt
      ? { code: feed.lastErrorCode, message: feed.lastErrorMessage, at: feed.lastErrorAt.toISOString() }
      : null,
    consecutiveFailures: feed.consecutiveFailures,
    intervalSec: feed.intervalSec,
    intervalSource: store.explicitInterval(feed.id) === null ? 'adaptive' : 'config',
    nextPollAt: active ? feed.nextPollAt.toISOString() : null,
  };
}

function render(database: string, feeds: FeedStatusEntry[], now: Date): string[] {
  const count = (s: FeedStatus) => feeds.filter((f) => f.status === s).length;
  const summary = (['ok', 'retrying', 'failing', 'waiting', 'inactive'] as const)
    .filter((s) => count(s) > 0)
    .map((s) => `${count(s)} ${s}`)
    .join(', ');
  const lines = [`Database: ${database}`, `Feeds: ${feeds.length}${summary ? ` (${summary})` : ''}`];
  for (const f of feeds) {
    const names = f.subscriptions.map((s) => `${s.name} [${s.scope}]`).join(', ') || '(no subscriber)';
    const failures =
      f.consecutiveFailures > 0
        ? ` (${f.lastError?.code ?? 'error'}, ${f.consecutiveFailures} failure${f.consecutiveFailures === 1 ? '' : 's'} in a row)`
        : '';
    lines.push(
      '',
      `${icon(f.status)} ${names}`,
      `  url:          ${f.url}`,
      `  status:       ${f.status}${failures}`,
      `  last success: ${stamp(f.lastSuccessAt, now)}`,
      `  last error:   ${f.lastError ? `${stamp(f.lastError.at, now)} ${f.lastError.code ?? ''}: ${f.lastError.message ?? ''}` : 'never'}`,
      `  interval:     ${formatDuration(f.intervalSec)} (${f.intervalSource === 'config' ? 'set in config' : 'adaptive'})`,
      `  next poll:    ${f.nextPollAt ? stamp(f.nextPollAt, now) : 'not polled'}`,
    );
  }
  if (feeds.length === 0)
    lines.push('', 'No feeds yet: declare them in the config file or add them from Discord.');
  return lines;
}

function icon(status: FeedStatus): string {
  return { ok: '✔', retrying: '!', failing: '✘', waiting: '…', inactive: '-' }[status];
}

/** ISO time with a rough "ago"/"in" beside it. */
function stamp(iso: string | null, now: Date): string {
  if (iso === null) return 'never';
  const deltaSec = Math.round((new Date(iso).getTime() - now.getTime()) / 1000);
  const span = formatDuration(
    Math.abs(deltaSec) >= 60 ? Math.round(Math.abs(deltaSec) / 60) * 60 : Math.abs(deltaSec),
  );
  return `${iso} (${deltaSec >= 0 ? `in ${span}` : `${span} ago`})`;
}
