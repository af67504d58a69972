import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discordErrors } from '../../support/fake-discord/index.js';
import {
  ALERTS_A,
  ALERTS_B,
  GUILD_A,
  GUILD_B,
  OTHER_A,
  startHarness,
  type Harness,
  type Story,
} from './bot-harness.js';

const BASE: Story[] = [{ guid: 'base', title: 'Weather calm', summary: 'Nothing happens.' }];
const MESSAGES_A = `/channels/${ALERTS_A}/messages`;

const titles = (h: Harness, channel: string): string[] =>
  h.discord
    .messages(channel)
    .map((m) => String((m.embeds[0] as { title?: string } | undefined)?.title ?? m.content));

describe('Discord delivery: never lost, never doubled', () => {
  let h: Harness;
  let published: Story[] = [...BASE];
  let n = 0;
  /** Adds matching stories (titles "Quake N") to the feed and runs one poll tick. */
  const quakes = async (count: number): Promise<string[]> => {
    const fresh = Array.from({ length: count }, () => {
      n++;
      return {
        guid: `q${n}`,
        title: `Quake ${n} shakes the coast`,
        summary: `Quake number ${n}.`,
        ageMinutes: -n,
      };
    });
    published = [...published, ...fresh];
    await h.publishAndTick(published);
    return fresh.map((s) => s.title);
  };
  const watchRow = (name: string) =>
    h.runtime.store.listWatches(`guild:${GUILD_A}`).find((w) => w.name === name);

  beforeAll(async () => {
    h = await startHarness(BASE);
    await h.command(GUILD_A, 'feed', 'add', { url: h.feeds.url('/world.xml') });
    await h.command(GUILD_A, 'watch', 'add', { query: 'quake', name: 'quakes', channel: ALERTS_A });
  });

  afterAll(async () => {
    await h?.stop();
  });

  it('waits out a 429 storm and delivers every alert once, in order', async () => {
    h.discord.failNext({
      method: 'POST',
      path: MESSAGES_A,
      times: 3,
      ...discordErrors.rateLimited({ retryAfter: 0.2 }),
    });
    const sent = await quakes(3);
    expect(titles(h, ALERTS_A)).toEqual(sent);
    const posts = h.discord.requests.filter((r) => r.method === 'POST' && r.path === MESSAGES_A);
    expect(posts.filter((r) => r.status === 429)).toHaveLength(3);
    expect(h.logs.some((l) => l.includes('Discord rate limit: waiting'))).toBe(true);
    expect(h.runtime.store.outboxDepth()).toBe(0);
  });

  it('retries a 5xx later instead of dropping the alert', async () => {
    // discord.js retries a 500 three times itself; a fourth failure goes back to the outbox.
    h.discord.failNext({ method: 'POST', path: MESSAGES_A, times: 4, ...discordErrors.serverError });
    const before = titles(h, ALERTS_A).length;
    const [title] = await quakes(1);
    expect(titles(h, ALERTS_A)).toHaveLength(before);
    expect(h.runtime.store.outboxDepth()).toBe(1);
    h.clock.advance(60_000);
    await h.runtime.app.deliver();
    expect(titles(h, ALERTS_A).slice(before)).toEqual([title]);
  });

  it('sends one digest when a poll brings more alerts than the threshold', async () => {
    const set = await h.command(GUILD_A, 'wirewatch', 'digest', { threshold: 2 }, { group: 'settings' });
    expect(set.content).toContain('more than 2 alerts');
    const before = h.discord.messages(ALERTS_A).length;
    const sent = await quakes(3);
    const added = h.discord.messages(ALERTS_A).slice(before);
    expect(added).toHaveLength(1);
    const embed = added[0]!.embeds[0] as { title: string; description: string };
    expect(embed.title).toBe('3 new alerts from World Wire · news.example');
    for (const t of sent) expect(embed.description).toContain(t);
    expect(added[0]!.enforceNonce).toBe(true);
    expect(h.runtime.store.outboxDepth()).toBe(0);
    await h.command(GUILD_A, 'wirewatch', 'digest', { threshold: 5 }, { group: 'settings' });
  });

  it('after a crash between Discord accepting an alert and recording it, posts it exactly once', async () => {
    // The poll's delivery fails (discord.js tries a 500 four times); the first alert holds back the second.
    h.discord.failNext({ method: 'POST', path: MESSAGES_A, times: 4, ...discordErrors.serverError });
    const before = h.discord.messages(ALERTS_A).length;
    const sent = await quakes(2);
    const pending = h.runtime.store.listPendingAlerts(new Date(8.64e15), 10);
    expect(pending.map((r) => r.alert.title)).toEqual(sent);
    // Discord accepts the first one, then the process dies before markDelivered.
    const destination = h.runtime.store.getDestination(pending[0]!.destinationId)!;
    const first = await h.runtime.discord!.sender.send(destination, pending[0]!);
    expect(first.ok).toBe(true);
    await h.restart();
    h.clock.advance(60_000);
    await h.runtime.app.deliver();
    const added = h.discord.messages(ALERTS_A).slice(before);
    expect(added.map((m) => (m.embeds[0] as { title: string }).title)).toEqual(sent);
    // The retry carried the same nonce, and Discord answered with the message it already had.
    const retried = h.discord.requests.filter(
      (r) => r.method === 'POST' && (r.body as { nonce?: string } | undefined)?.nonce === pending[0]!.nonce,
    );
    expect(retried.filter((r) => r.status === 200)).toHaveLength(2);
    expect(h.runtime.store.outboxDepth()).toBe(0);
  });

  it('pauses a channel on Missing Permissions, tells the server once, and resumes on /watch resume', async () => {
    h.discord.failNext({ method: 'POST', path: MESSAGES_A, ...discordErrors.missingPermissions });
    const before = h.discord.messages(ALERTS_A).length;
    await quakes(1);
    const notice = h.discord.messages(ALERTS_A).slice(before);
    expect(notice).toHaveLength(1);
    expect(notice[0]!.content).toContain(
      `wirewatch can no longer post alerts in <#${ALERTS_A}> (Missing Permissions)`,
    );
    expect(notice[0]!.pings).toEqual({ everyone: false, roles: [], users: [] });
    const status = await h.command(GUILD_A, 'wirewatch', 'status');
    expect(status.content).toContain(`Alerts to <#${ALERTS_A}> are paused`);
    await quakes(1);
    expect(h.discord.messages(ALERTS_A)).toHaveLength(before + 1);
    expect(h.logs.some((l) => l.includes('paused alerts to a Discord channel'))).toBe(true);
    const resumed = await h.command(GUILD_A, 'watch', 'resume', { name: 'quakes' });
    expect(resumed.content).toContain('Resumed `quakes`');
    const [title] = await quakes(1);
    expect(titles(h, ALERTS_A).at(-1)).toBe(title);
    expect((await h.command(GUILD_A, 'wirewatch', 'status')).content).not.toContain('paused');
  });

  it('drops the subscription of a deleted channel (Unknown Channel)', async () => {
    await h.command(GUILD_A, 'watch', 'add', { query: 'quake', name: 'quakes-other', channel: OTHER_A });
    const other = watchRow('quakes-other');
    expect(other).toBeDefined();
    h.discord.removeChannel(OTHER_A);
    await quakes(1);
    // The watch posted only there: it is gone with the channel, from the database and from the live matcher.
    expect(watchRow('quakes-other')).toBeUndefined();
    expect(
      h.runtime.app.watches
        .match(
          { title: 'quake', summary: '', link: null, author: null, categories: [], feedTitle: '' },
          { id: other!.feedIds?.[0] ?? 0, scopes: new Set([`guild:${GUILD_A}` as const]) },
          new Date(),
        )
        .some((m) => m.watch.id === other!.id),
    ).toBe(false);
    const destination = h.runtime.store
      .listDestinations(`guild:${GUILD_A}`)
      .find((d) => d.target === OTHER_A);
    expect(destination?.enabled).toBe(false);
    expect(h.runtime.store.outboxDepth()).toBe(0);
  });

  it("removes a server's subscriptions when the bot leaves it", async () => {
    await h.command(GUILD_B, 'feed', 'add', { url: h.feeds.url('/world.xml'), name: 'b-wire' });
    await h.command(GUILD_B, 'watch', 'add', { query: 'quake', name: 'b-quakes', channel: ALERTS_B });
    const size = h.runtime.app.watches.size;
    h.discord.removeGuild(GUILD_B);
    await h.discord.waitFor(() => h.runtime.store.listWatches(`guild:${GUILD_B}`).length === 0);
    expect(h.runtime.store.listSubscriptions(`guild:${GUILD_B}`)).toEqual([]);
    expect(h.runtime.app.watches.size).toBe(size - 1);
    // Server A is untouched.
    expect(h.runtime.store.listSubscriptions(`guild:${GUILD_A}`)).toHaveLength(1);
    expect(watchRow('quakes')?.paused).toBe(false);
  });
});
