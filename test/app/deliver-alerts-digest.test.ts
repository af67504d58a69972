import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type SqliteStore } from '../../src/adapters/sqlite/sqlite-store.js';
import { deliverAlerts } from '../../src/app/deliver-alerts.js';
import type { AlertSender, Log, OutboxRow, SendResult, StoredItem } from '../../src/app/ports.js';
import type { Alert } from '../../src/core/alert.js';

const silent: Log = { debug() {}, info() {}, warn() {}, error() {} };

describe('deliverAlerts digests', () => {
  let store: SqliteStore;
  let now = new Date('2026-11-29T12:00:00Z');
  const clock = { now: () => now };
  let feedId: number;
  let destId: number;
  let watchId: number;

  const poll = (keys: string[]): void => {
    const items: StoredItem[] = keys.map((key) => ({
      feedId,
      key,
      title: key,
      link: null,
      summary: '',
      published: null,
      updated: null,
      author: null,
      categories: [],
      firstSeenAt: now,
    }));
    const alert = (key: string): Alert => ({
      watchId,
      watchName: 'w',
      query: 'x',
      feedId,
      itemKey: key,
      title: key,
      link: null,
      feedTitle: 'F',
      host: null,
      published: null,
      snippet: '',
      matchedTerms: [],
      highlights: { title: [], snippet: [] },
      mentionRoleId: null,
      color: null,
    });
    store.recordPollSuccess(feedId, {
      at: now,
      etag: null,
      lastModified: null,
      title: 'F',
      nextPollAt: now,
      items,
      alerts: keys.map((key) => ({ destinationId: destId, watchId, itemKey: key, alert: alert(key) })),
    });
  };

  function sender(script: SendResult[]) {
    const calls: string[][] = [];
    const s: AlertSender = {
      kind: 'discord-channel',
      async send(_d, row) {
        calls.push([row.alert.itemKey]);
        return script.shift() ?? { ok: true, remoteId: `m${row.id}` };
      },
      async sendDigest(_d, rows: readonly OutboxRow[]) {
        calls.push(rows.map((r) => r.alert.itemKey));
        return script.shift() ?? { ok: true, remoteId: 'digest' };
      },
    };
    return { s, calls };
  }

  beforeEach(() => {
    now = new Date('2026-11-29T12:00:00Z');
    store = openStore(':memory:', { now: clock.now });
    feedId = store.subscribeFeed({
      url: 'http://127.0.0.1:1/f',
      scope: 'guild:1',
      name: 'f',
      intervalSec: 60,
      nextPollAt: now,
    }).id;
    destId = store.ensureDestination({
      scope: 'guild:1',
      name: '#c',
      kind: 'discord-channel',
      target: '9',
    }).id;
    watchId = store.addWatch({
      scope: 'guild:1',
      name: 'w',
      query: 'x',
      feedIds: null,
      destinationIds: [destId],
      mentionRoleId: null,
      color: null,
    }).id;
  });
  afterEach(() => store.close());

  const run = (s: AlertSender, threshold: number | null) =>
    deliverAlerts({
      store,
      clock,
      log: silent,
      senders: new Map([['discord-channel', s]]),
      digestThreshold: () => threshold,
    });

  it('sends more than N alerts of one poll as one digest, and fewer one by one', async () => {
    poll(['a', 'b', 'c']);
    now = new Date(now.getTime() + 1000);
    poll(['d', 'e']);
    const { s, calls } = sender([]);
    expect(await run(s, 2)).toEqual({ delivered: 5, retrying: 0, failed: 0 });
    expect(calls).toEqual([['a', 'b', 'c'], ['d'], ['e']]);
    expect(store.outboxDepth()).toBe(0);
    const remote = store.db
      .prepare<[], { remote_id: string }>('SELECT remote_id FROM outbox ORDER BY id')
      .all();
    expect(remote.slice(0, 3).map((r) => r.remote_id)).toEqual(['digest', 'digest', 'digest']);
  });

  it('retries a digest as the same group, and never digests without a threshold', async () => {
    poll(['a', 'b', 'c']);
    const { s, calls } = sender([{ ok: false, retry: true, error: '502' }]);
    expect(await run(s, 2)).toEqual({ delivered: 0, retrying: 3, failed: 0 });
    now = new Date(now.getTime() + 3600_000);
    expect(await run(s, 2)).toEqual({ delivered: 3, retrying: 0, failed: 0 });
    expect(calls).toEqual([
      ['a', 'b', 'c'],
      ['a', 'b', 'c'],
    ]);
    poll(['d', 'e', 'f']);
    const plain = sender([]);
    await run(plain.s, null);
    expect(plain.calls).toEqual([['d'], ['e'], ['f']]);
  });
});
