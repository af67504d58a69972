import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type SqliteStore } from '../../src/adapters/sqlite/sqlite-store.js';
import { deliverAlerts } from '../../src/app/deliver-alerts.js';
import { inQuietHours, lastQuietPeriod } from '../../src/app/delivery-policy.js';
import type { AlertSender, Log, OutboxRow, StoredItem } from '../../src/app/ports.js';
import type { Alert } from '../../src/core/alert.js';

const silent: Log = { debug() {}, info() {}, warn() {}, error() {} };
const at = (iso: string) => new Date(`2026-03-03T${iso}:00Z`);

describe('quiet-hours arithmetic', () => {
  it('handles windows that wrap past midnight', () => {
    const night = { start: 22 * 60, end: 7 * 60 };
    expect(inQuietHours(night, at('23:30'))).toBe(true);
    expect(inQuietHours(night, at('06:59'))).toBe(true);
    expect(inQuietHours(night, at('07:00'))).toBe(false);
    expect(lastQuietPeriod(night, at('07:05'))).toEqual({
      start: new Date('2026-03-02T22:00:00Z'),
      end: new Date('2026-03-03T07:00:00Z'),
    });
    const lunch = { start: 12 * 60, end: 13 * 60 };
    expect(lastQuietPeriod(lunch, at('09:00')).end).toEqual(new Date('2026-03-02T13:00:00Z'));
  });
});

describe('per-channel quiet hours and rate cap', () => {
  let store: SqliteStore;
  let now: Date;
  const clock = { now: () => now };
  let feedId: number;
  let destId: number;
  let watchId: number;
  let calls: string[][];
  let seq = 0;

  const sender: AlertSender = {
    kind: 'discord-channel',
    async send(_d, row) {
      calls.push([row.alert.itemKey]);
      return { ok: true, remoteId: `m${row.id}` };
    },
    async sendDigest(_d, rows: readonly OutboxRow[]) {
      calls.push(rows.map((r) => r.alert.itemKey));
      return { ok: true, remoteId: `d${rows[0]?.id}` };
    },
  };

  /** One poll bringing `n` alerts (separate polls: no per-poll digest). */
  const poll = (n: number): void => {
    for (let i = 0; i < n; i++) {
      const key = `k${++seq}`;
      const item: StoredItem = {
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
      };
      const alert = {
        watchId,
        itemKey: key,
        title: key,
        highlights: { title: [], snippet: [] },
      } as unknown as Alert;
      store.recordPollSuccess(feedId, {
        at: now,
        etag: null,
        lastModified: null,
        title: 'F',
        nextPollAt: now,
        items: [item],
        alerts: [{ destinationId: destId, watchId, itemKey: key, alert }],
      });
      now = new Date(now.getTime() + 1000);
    }
  };

  const deliver = () =>
    deliverAlerts({
      store,
      senders: new Map([['discord-channel', sender]]),
      clock,
      log: silent,
      policy: (d) => store.getDestinationPolicy(d.id),
    });

  beforeEach(() => {
    now = at('21:00');
    calls = [];
    seq = 0;
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

  it('holds alerts during quiet hours and sends them as one digest when they end', async () => {
    store.updateDestinationPolicy(destId, { quietHours: { start: 22 * 60, end: 7 * 60 } }, now);
    poll(1);
    await deliver();
    expect(calls).toEqual([['k1']]);
    now = at('23:00');
    poll(3);
    await deliver();
    expect(calls).toHaveLength(1);
    now = new Date('2026-03-04T02:00:00Z');
    poll(1);
    await deliver();
    expect(calls).toHaveLength(1);
    now = new Date('2026-03-04T07:01:00Z');
    poll(1);
    await deliver();
    expect(calls.slice(1)).toEqual([['k2', 'k3', 'k4', 'k5'], ['k6']]);
    expect(store.outboxDepth()).toBe(0);
  });

  it('turns more than N messages in M minutes into one digest, then waits for a free slot', async () => {
    store.updateDestinationPolicy(destId, { rateCap: { max: 3, windowSec: 600 } }, now);
    poll(2);
    await deliver();
    expect(calls).toEqual([['k1'], ['k2']]);
    poll(4);
    await deliver();
    // One slot left: the four alerts take it as one digest.
    expect(calls.slice(2)).toEqual([['k3', 'k4', 'k5', 'k6']]);
    poll(2);
    await deliver();
    expect(calls).toHaveLength(3);
    expect(store.outboxDepth()).toBe(2);
    now = new Date(now.getTime() + 11 * 60_000);
    await deliver();
    expect(calls.slice(3)).toEqual([['k7'], ['k8']]);
  });
});
