import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PermissionFlagsBits } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/adapters/sqlite/sqlite-store.js';
import { startFakeDiscord, type FakeDiscord } from '../support/fake-discord/index.js';
import { startFakeWebhook } from '../support/fake-webhook.js';
import { feed, startFeedServer, type FeedServer } from '../support/feed-server.js';
import { spawnWirewatch, until } from '../support/spawn-wirewatch.js';

const rss = (guids: string[]) => `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
${guids.map((g) => `<item><guid>${g}</guid><title>NATO update ${g}</title><link>https://news.example/${g}</link></item>`).join('\n')}
</channel></rss>`;
const OLD = ['old-1', 'old-2'];
const NEW = ['n1', 'n2', 'n3', 'n4', 'n5', 'n6'];

/** Counts outbox rows by status in the database the process left behind. */
function outboxCounts(dbPath: string): Record<string, number> {
  const store = openStore(dbPath);
  try {
    const rows = store.db.prepare('SELECT status, COUNT(*) AS n FROM outbox GROUP BY status').all() as Array<{
      status: string;
      n: number;
    }>;
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  } finally {
    store.close();
  }
}

describe('graceful shutdown of `wirewatch run` (real processes)', () => {
  let dir: string;
  let feeds: FeedServer;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wirewatch-shutdown-'));
    feeds = await startFeedServer({ '/wire.xml': feed(rss(OLD)) });
  });
  afterEach(async () => {
    await feeds.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('SIGTERM mid-delivery: finishes the alert being sent, exits 0 fast, and the rest go out after restart', async () => {
    const hook = await startFakeWebhook();
    const config = join(dir, 'wirewatch.yaml');
    writeFileSync(
      config,
      `dataDir: ${dir}
poll: { schedule: "* * * * * *", minInterval: 1s, jitter: 0 }
fetch: { allowedHosts: [127.0.0.1] }
health: { port: 0 }
feeds: [{ name: wire, url: "${feeds.url('/wire.xml')}", interval: 1s }]
destinations: [{ name: hook, type: discord-webhook, url: "${hook.url}" }]
watches: [{ name: nato, query: NATO }]
`,
    );
    try {
      const first = spawnWirewatch(['run', '-c', config], { LOG_LEVEL: 'info' });
      await first.waitForOutput(/"newItems":2/); // primed: the old items are recorded, not alerted
      hook.setDelay(400);
      feeds.route('/wire.xml', feed(rss([...NEW, ...OLD])));
      await until(() => hook.calls.length >= 2, 20_000, 'two alerts to reach the webhook');
      const signalled = Date.now();
      first.child.kill('SIGTERM');
      const exit = await first.exited;
      expect(exit.code).toBe(0);
      expect(exit.at - signalled).toBeLessThan(10_000);
      expect(first.output()).toContain('shutting down');

      const sentBeforeStop = hook.calls.length;
      const counts = outboxCounts(join(dir, 'wirewatch.db'));
      // Every alert the webhook received was recorded as delivered; the others wait in the outbox.
      expect(counts.delivered ?? 0).toBe(sentBeforeStop);
      expect(counts.pending ?? 0).toBe(NEW.length - sentBeforeStop);
      expect(counts.failed).toBeUndefined();
      expect(sentBeforeStop).toBeLessThan(NEW.length);

      hook.setDelay(0);
      const second = spawnWirewatch(['run', '-c', config], { LOG_LEVEL: 'info' });
      await until(() => hook.calls.length >= NEW.length, 20_000, 'the remaining alerts after restart');
      await second.waitForOutput(/"msg":"poll tick"/);
      second.child.kill('SIGTERM');
      expect((await second.exited).code).toBe(0);
      const titles = hook.calls.map((c) => (c.body.embeds as Array<{ title: string }>)[0]?.title);
      expect(titles.sort()).toEqual(NEW.map((g) => `NATO update ${g}`).sort());
      expect(outboxCounts(join(dir, 'wirewatch.db'))).toEqual({ delivered: NEW.length });
    } finally {
      await hook.close();
    }
  }, 60_000);

  describe('SIGKILL mid-delivery to a Discord channel', () => {
    const G = '110000000000000001';
    const C = '410000000000000001';
    let discord: FakeDiscord;
    beforeEach(async () => {
      discord = await startFakeDiscord({
        guilds: [
          {
            id: G,
            ownerId: '210000000000000001',
            channels: [{ id: C, name: 'alerts' }],
            botPermissions:
              PermissionFlagsBits.ViewChannel |
              PermissionFlagsBits.SendMessages |
              PermissionFlagsBits.EmbedLinks,
          },
        ],
      });
    });
    afterEach(() => discord.close());

    it('loses nothing and posts nothing twice', async () => {
      // The state /feed add and /watch add would have left: a primed guild feed, a channel destination, a watch.
      const dbPath = join(dir, 'wirewatch.db');
      const store = openStore(dbPath);
      const scope = `guild:${G}` as const;
      const wire = store.subscribeFeed({
        url: feeds.url('/wire.xml'),
        scope,
        name: 'wire',
        channelId: C,
        intervalSec: 1,
        nextPollAt: new Date(0),
      });
      const channel = store.ensureDestination({ scope, name: '#alerts', kind: 'discord-channel', target: C });
      store.addWatch({
        scope,
        name: 'nato',
        query: 'NATO',
        feedIds: null,
        destinationIds: [channel.id],
        mentionRoleId: null,
        color: null,
      });
      const at = new Date();
      store.recordPollSuccess(wire.id, {
        at,
        etag: null,
        lastModified: null,
        title: 'Wire',
        nextPollAt: new Date(0),
        items: OLD.map((g) => ({
          feedId: wire.id,
          key: `id:${g}`,
          title: `NATO update ${g}`,
          link: null,
          summary: '',
          published: null,
          updated: null,
          author: null,
          categories: [],
          firstSeenAt: at,
        })),
        alerts: [],
      });
      store.close();
      feeds.route('/wire.xml', feed(rss([...NEW, ...OLD])));

      const config = join(dir, 'wirewatch.yaml');
      writeFileSync(
        config,
        `dataDir: ${dir}
poll: { schedule: "* * * * * *", minInterval: 1s, jitter: 0 }
fetch: { allowedHosts: [127.0.0.1] }
health: { port: 0 }
discord: { digestThreshold: 50 } # one message per alert here, not a digest
`,
      );
      const env = { DISCORD_TOKEN: 'fake-token', DISCORD_API_BASE: discord.apiBase, LOG_LEVEL: 'info' };
      // Discord stores each message, then answers late: a kill lands between "accepted" and "recorded".
      discord.delayResponses({ method: 'POST', path: `/channels/${C}/messages`, ms: 300 });
      const first = spawnWirewatch(['run', '-c', config], env);
      await until(() => discord.messages(C).length >= 2, 30_000, 'two alerts in the channel');
      first.child.kill('SIGKILL');
      expect((await first.exited).signal).toBe('SIGKILL');
      const beforeRestart = discord.messages(C).length;
      expect(beforeRestart).toBeLessThan(NEW.length);

      discord.delayResponses(null);
      const second = spawnWirewatch(['run', '-c', config], env);
      try {
        await until(() => outboxCounts(dbPath).delivered === NEW.length, 30_000, 'every alert delivered');
      } finally {
        second.child.kill('SIGTERM');
        await second.exited;
      }
      const posted = discord.messages(C);
      expect(posted).toHaveLength(NEW.length);
      expect(new Set(posted.map((m) => m.embeds[0]?.title)).size).toBe(NEW.length);
      expect(new Set(posted.map((m) => m.nonce)).size).toBe(NEW.length);
      // The kill landed after Discord stored a message and before the bot heard back: that alert was sent again
      // after the restart with the same nonce, and Discord answered with the existing message.
      const posts = discord.requests.filter(
        (r) => r.method === 'POST' && r.path === `/channels/${C}/messages`,
      );
      expect(posts.length).toBeGreaterThan(NEW.length);
      expect(outboxCounts(dbPath)).toEqual({ delivered: NEW.length });
    }, 60_000);
  });
});
