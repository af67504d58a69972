import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type SqliteStore } from '../../src/adapters/sqlite/sqlite-store.js';
import { deliverAlerts } from '../../src/app/deliver-alerts.js';
import type {
  AlertSender,
  DestinationKind,
  Log,
  NewAlert,
  SendResult,
  StoredItem,
} from '../../src/app/ports.js';
import type { Alert } from '../../src/core/alert.js';

const silent: Log = { debug() {}, info() {}, warn() {}, error() {} };

function alertFor(key: string, watchId: number, feedId: number): Alert {
  return {
    watchId,
    watchName: 'w',
    query: 'NATO',
    feedId,
    itemKey: key,
    title: `story ${key}`,
    link: null,
    feedTitle: 'Feed',
    host: null,
    published: null,
    snippet: '',
    matchedTerms: ['NATO'],
    highlights: { title: [], snippet: [] },
    mentionRoleId: null,
    color: null,
  };
}

/** A sender that answers from a script and records what it was asked to send. */
function scriptedSender(kind: DestinationKind, script: SendResult[]) {
  const sent: string[] = [];
  const sender: AlertSender = {
    kind,
    async send(_d, row) {
      sent.push(row.alert.itemKey);
      return script.shift() ?? { ok: true, remoteId: `m-${row.id}` };
    },
  };
  return { sender, sent };
}

describe('deliverAlerts', () => {
  let store: SqliteStore;
  let now = new Date('2026-11-29T12:00:00Z');
  const clock = { now: () => now };
  let feedId: number;
  let consoleId: number;
  let hookId: number;
  let watchId: number;

  function queue(keys: string[]): void {
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
    const alerts: NewAlert[] = keys.flatMap((key) =>
      [consoleId, hookId].map((destinationId) => ({
        destinationId,
        watchId,
        itemKey: key,
        alert: alertFor(key, watchId, feedId),
      })),
    );
    store.recordPollSuccess(feedId, {
      at: now,
      etag: null,
      lastModified: null,
      title: 'Feed',
      nextPollAt: now,
      items,
      alerts,
    });
  }

  beforeEach(() => {
    now = new Date('2026-11-29T12:00:00Z');
    store = openStore(':memory:', { now: clock.now });
    feedId = store.subscribeFeed({
      url: 'http://127.0.0.1:1/feed',
      scope: 'config',
      name: 'f',
      intervalSec: 300,
      nextPollAt: now,
    }).id;
    consoleId = store.ensureDestination({ scope: 'config', name: 'console', kind: 'console', target: '' }).id;
    hookId = store.ensureDestination({
      scope: 'config',
      name: 'hook',
      kind: 'discord-webhook',
      target: 'http://127.0.0.1:1/x',
    }).id;
    watchId = store.addWatch({
      scope: 'config',
      name: 'w',
      query: 'NATO',
      feedIds: null,
      destinationIds: [consoleId, hookId],
      mentionRoleId: null,
      color: null,
    }).id;
  });
  afterEach(() => store.close());

  it('delivers in order per destination and marks each delivered with its remote id', async () => {
    queue(['a', 'b']);
    const c = scriptedSender('console', []);
    const h = scriptedSender('discord-webhook', []);
    const summary = await deliverAlerts({
      store,
      clock,
      log: silent,
      senders: new Map([
        ['console', c.sender],
        ['discord-webhook', h.sender],
      ]),
    });
    expect(summary).toEqual({ delivered: 4, retrying: 0, failed: 0 });
    expect(c.sent).toEqual(['a', 'b']);
    expect(h.sent).toEqual(['a', 'b']);
    expect(store.outboxDepth()).toBe(0);
    expect(store.listPendingAlerts(now, 10)).toEqual([]);
  });

  it('keeps order behind a retry, retries after the backoff, and a broken destination does not hold up another', async () => {
    queue(['a', 'b']);
    const c = scriptedSender('console', []);
    const h = scriptedSender('discord-webhook', [{ ok: false, retry: true, error: 'HTTP 502' }]);
    const senders = new Map([
      ['console', c.sender],
      ['discord-webhook', h.sender],
    ] as const);
    const first = await deliverAlerts({ store, clock, log: silent, senders });
    expect(first).toEqual({ delivered: 2, retrying: 1, failed: 0 });
    expect(h.sent).toEqual(['a']); // 'b' waits behind 'a'
    expect(await deliverAlerts({ store, clock, log: silent, senders })).toEqual({
      delivered: 0,
      retrying: 0,
      failed: 0,
    });
    now = new Date(now.getTime() + 60_000);
    expect(await deliverAlerts({ store, clock, log: silent, senders })).toEqual({
      delivered: 2,
      retrying: 0,
      failed: 0,
    });
    expect(h.sent).toEqual(['a', 'a', 'b']);
  });

  it('disables a destination that can never work and fails its alerts loudly, not silently', async () => {
    queue(['a', 'b']);
    const warnings: string[] = [];
    const log: Log = {
      ...silent,
      warn: (_o, m) => void warnings.push(m ?? ''),
      error: (_o, m) => void warnings.push(m ?? ''),
    };
    const h = scriptedSender('discord-webhook', [
      { ok: false, retry: false, error: 'webhook not found', disableDestination: true },
    ]);
    const summary = await deliverAlerts({
      store,
      clock,
      log,
      senders: new Map([
        ['console', scriptedSender('console', []).sender],
        ['discord-webhook', h.sender],
      ]),
    });
    expect(summary).toEqual({ delivered: 2, retrying: 0, failed: 2 });
    expect(store.getDestination(hookId)?.enabled).toBe(false);
    expect(h.sent).toEqual(['a']);
    expect(warnings.some((w) => w.includes('destination disabled'))).toBe(true);
  });

  it('gives up after the maximum attempts', async () => {
    queue(['a']);
    const failing: AlertSender = {
      kind: 'discord-webhook',
      send: async () => ({ ok: false, retry: true, error: 'HTTP 500' }),
    };
    const senders = new Map<DestinationKind, AlertSender>([
      ['console', scriptedSender('console', []).sender],
      ['discord-webhook', failing],
    ]);
    for (let i = 0; i < 3; i++) {
      await deliverAlerts({ store, clock, log: silent, senders, maxAttempts: 3 });
      now = new Date(now.getTime() + 3600_000);
    }
    expect(store.outboxDepth()).toBe(0);
  });
});
