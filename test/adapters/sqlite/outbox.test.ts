import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openStore, type SqliteStore } from '../../../src/adapters/sqlite/sqlite-store.js';
import type { OutboxRow } from '../../../src/app/ports.js';
import { T0, alertFor, at, item, minutes, tempDir } from './store-fixtures.js';

let tmp: ReturnType<typeof tempDir>;
let store: SqliteStore;
beforeEach(() => {
  tmp = tempDir();
  store = openStore(join(tmp.dir, 'w.db'), { now: () => T0 });
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

/** Queues alerts for items `keys` (in that order) to two destinations. */
function queue(keys: string[]): { destA: number; destB: number } {
  const feed = store.subscribeFeed({
    url: 'https://a.example/rss',
    scope: 'config',
    name: 'a',
    intervalSec: 300,
    nextPollAt: T0,
  });
  const destA = store.ensureDestination({
    scope: 'config',
    name: 'hook',
    kind: 'discord-webhook',
    target: 'https://discord.example/api/webhooks/1/x',
  }).id;
  const destB = store.ensureDestination({ scope: 'config', name: 'console', kind: 'console', target: '' }).id;
  const watch = store.addWatch({
    scope: 'config',
    name: 'w',
    query: 'nato',
    feedIds: null,
    destinationIds: [destA, destB],
    mentionRoleId: null,
    color: 0xff0000,
  });
  store.recordPollSuccess(feed.id, {
    at: T0,
    etag: null,
    lastModified: null,
    title: null,
    nextPollAt: at(minutes(5)),
    items: keys.map((k) => item(feed.id, k)),
    alerts: keys.flatMap((k) => [
      alertFor(feed.id, watch.id, destA, k),
      alertFor(feed.id, watch.id, destB, k),
    ]),
  });
  return { destA, destB };
}

describe('outbox', () => {
  it('lists due pending alerts oldest first, up to the limit, each with its own nonce', () => {
    queue(['a', 'b', 'c']);
    const all = store.listPendingAlerts(T0, 100);
    expect(all).toHaveLength(6);
    const ids = all.map((r) => r.id);
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(all.map((r) => r.itemKey)).toEqual(['a', 'a', 'b', 'b', 'c', 'c']);
    expect(new Set(all.map((r) => r.nonce)).size).toBe(6);
    expect(all.every((r) => r.nonce.length > 0 && r.nonce.length <= 25)).toBe(true);
    expect(store.listPendingAlerts(T0, 2).map((r) => r.id)).toEqual(ids.slice(0, 2));
    expect(store.listPendingAlerts(at(-1), 100)).toEqual([]);
    expect(store.outboxDepth()).toBe(6);
  });

  it('moves through retry, delivered and failed', () => {
    queue(['a', 'b']);
    const [first, second, third] = store.listPendingAlerts(T0, 100) as [OutboxRow, OutboxRow, OutboxRow];

    store.markRetry(first.id, { error: 'HTTP 429', nextAttemptAt: at(minutes(1)) });
    store.markRetry(first.id, { error: 'HTTP 503', nextAttemptAt: at(minutes(2)) });
    // Not due before its next attempt; due (and still first by id) after it.
    expect(store.listPendingAlerts(at(minutes(1)), 100).map((r) => r.id)).not.toContain(first.id);
    const retried = store.listPendingAlerts(at(minutes(2)), 100)[0];
    expect(retried).toMatchObject({
      id: first.id,
      attempts: 2,
      lastError: 'HTTP 503',
      nextAttemptAt: at(minutes(2)),
      nonce: first.nonce,
    });

    store.markDelivered(first.id, at(minutes(3)), '1234567890');
    store.markFailed(second.id, 'webhook not found (404)');
    const rest = store.listPendingAlerts(at(minutes(10)), 100);
    expect(rest).toHaveLength(2);
    expect(rest[0]?.id).toBe(third.id);
    expect(rest.map((r) => r.id)).not.toContain(first.id);
    expect(rest.map((r) => r.id)).not.toContain(second.id);
    expect(store.outboxDepth()).toBe(2);

    const rows = store.db
      .prepare<
        [number, number],
        {
          id: number;
          status: string;
          remote_id: string | null;
          delivered_at: number | null;
          last_error: string | null;
        }
      >('SELECT id, status, remote_id, delivered_at, last_error FROM outbox WHERE id IN (?, ?) ORDER BY id')
      .all(first.id, second.id);
    expect(rows).toEqual([
      {
        id: first.id,
        status: 'delivered',
        remote_id: '1234567890',
        delivered_at: at(minutes(3)).getTime(),
        last_error: null,
      },
      {
        id: second.id,
        status: 'failed',
        remote_id: null,
        delivered_at: null,
        last_error: 'webhook not found (404)',
      },
    ]);
    // A late retry of a delivered alert does not resurrect it.
    store.markRetry(first.id, { error: 'late', nextAttemptAt: T0 });
    expect(store.listPendingAlerts(at(minutes(10)), 100).map((r) => r.id)).not.toContain(first.id);
  });

  it('fails the pending alerts of a disabled destination and lists nothing for it', () => {
    const { destA, destB } = queue(['a', 'b']);
    store.disableDestination(destA, 'webhook not found (404)');
    const pending = store.listPendingAlerts(T0, 100);
    expect(pending.map((r) => r.destinationId)).toEqual([destB, destB]);
    expect(store.outboxDepth()).toBe(2);
    expect(store.getDestination(destA)).toMatchObject({
      enabled: false,
      disabledReason: 'webhook not found (404)',
    });
    // Re-enabling does not replay the alerts it missed.
    store.enableDestination(destA);
    expect(store.getDestination(destA)).toMatchObject({ enabled: true, disabledReason: null });
    expect(store.listPendingAlerts(T0, 100)).toHaveLength(2);
  });

  it('prunes delivered and failed alerts older than the cut-off, never pending ones', () => {
    queue(['a', 'b', 'c']);
    const [a1, a2, b1, b2] = store.listPendingAlerts(at(minutes(10)), 10);
    store.markDelivered(a1!.id, at(minutes(1)), null);
    store.markFailed(a2!.id, 'gone');
    store.markDelivered(b1!.id, at(minutes(1)), null);
    expect(store.pruneOutbox(T0)).toBe(0);
    const count = (status: string) =>
      store.db
        .prepare<[string], { n: number }>('SELECT count(*) AS n FROM outbox WHERE status = ?')
        .get(status)?.n;
    expect(store.pruneOutbox(at(minutes(1)))).toBe(3);
    expect([count('delivered'), count('failed'), count('pending')]).toEqual([0, 0, 3]);
    expect(store.listPendingAlerts(at(minutes(10)), 10).map((r) => r.id)).toContain(b2!.id);
  });

  it('removing a watch removes its queued alerts', () => {
    queue(['a']);
    const watch = store.listWatches()[0];
    expect(watch).toBeDefined();
    expect(store.removeWatch(watch?.id ?? -1)).toBe(true);
    expect(store.outboxDepth()).toBe(0);
    expect(store.removeWatch(watch?.id ?? -1)).toBe(false);
  });
});

describe('outbox after a killed process', () => {
  it('keeps alerts written before the kill as pending, with the same nonce', () => {
    const dbPath = join(tmp.dir, 'killed.db');
    const storeUrl = new URL('../../../src/adapters/sqlite/sqlite-store.ts', import.meta.url).href;
    const script = join(tmp.dir, 'writer.ts');
    writeFileSync(
      script,
      `import { openStore } from ${JSON.stringify(storeUrl)};
const s = openStore(${JSON.stringify(dbPath)});
const feed = s.subscribeFeed({ url: 'https://a.example/rss', scope: 'config', name: 'a', intervalSec: 300, nextPollAt: new Date(0) });
const dest = s.ensureDestination({ scope: 'config', name: 'console', kind: 'console', target: '' });
const watch = s.addWatch({ scope: 'config', name: 'w', query: 'nato', feedIds: null, destinationIds: [dest.id], mentionRoleId: null, color: null });
const alert = { destinationId: dest.id, watchId: watch.id, itemKey: 'k', alert: { title: 'NATO chief urges Seoul' } };
const item = { feedId: feed.id, key: 'k', title: 'NATO chief urges Seoul', link: null, summary: '', published: null, updated: null, author: null, categories: [], firstSeenAt: new Date(0) };
s.recordPollSuccess(feed.id, { at: new Date(1000), etag: null, lastModified: null, title: null, nextPollAt: new Date(2000), items: [item], alerts: [alert] });
process.stdout.write(JSON.stringify(s.listPendingAlerts(new Date(1000), 10).map((r) => r.nonce)));
process.kill(process.pid, 'SIGKILL');
`,
    );
    const child = spawnSync(process.execPath, ['--import', 'tsx', script], {
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(child.signal).toBe('SIGKILL');
    const nonces = JSON.parse(child.stdout) as string[];
    expect(nonces).toHaveLength(1);

    const reopened = openStore(dbPath);
    try {
      const pending = reopened.listPendingAlerts(new Date(1000), 10);
      expect(pending.map((r) => r.nonce)).toEqual(nonces);
      expect(pending[0]?.alert.title).toBe('NATO chief urges Seoul');
      expect(reopened.unseenKeys(pending[0]?.feedId ?? -1, ['k'])).toEqual(new Set());
    } finally {
      reopened.close();
    }
  });
});
