import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feed } from '../../support/feed-server.js';
import {
  ALERTS_A,
  ALERTS_B,
  GUILD_A,
  GUILD_B,
  rss,
  startHarness,
  type Harness,
  type Story,
} from './bot-harness.js';

const BASE: Story[] = [{ guid: 'base', title: 'Weather calm', summary: 'Nothing happens.' }];
const HOURS = 3600_000;
/** The harness config leaves poll.failureThreshold at its default. */
const THRESHOLD = 10;

describe('notices about a failing feed, in the channels of the servers that follow it', () => {
  let h: Harness;
  const notices = (channel: string, word: string) =>
    h.discord.messages(channel).filter((m) => m.content.includes(word));
  /** One poll tick well after the feed's (backed-off) next poll. */
  const tick = async () => {
    h.clock.advance(2 * HOURS);
    await h.runtime.app.tick();
  };
  /** Lets notices already sent by a tick reach the fake Discord before counting them. */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

  beforeAll(async () => {
    h = await startHarness(BASE);
    // Server A names a notice channel; server B does not, so its notices go where its watch posts.
    await h.command(GUILD_A, 'feed', 'add', {
      url: h.feeds.url('/world.xml'),
      channel: ALERTS_A,
      name: 'world',
    });
    await h.command(GUILD_B, 'feed', 'add', { url: h.feeds.url('/world.xml'), name: 'wire' });
    await h.command(GUILD_B, 'watch', 'add', { query: 'quake', name: 'quakes', channel: ALERTS_B });
  });

  afterAll(async () => {
    await h?.stop();
  });

  it('says nothing for the first failures, then tells each server once at the threshold', async () => {
    h.feeds.route('/world.xml', feed('down for maintenance', { status: 503, contentType: 'text/plain' }));
    for (let n = 1; n < THRESHOLD; n++) await tick();
    await settle();
    expect(notices(ALERTS_A, 'is failing')).toHaveLength(0);
    expect(notices(ALERTS_B, 'is failing')).toHaveLength(0);

    await tick();
    const [a] = await h.discord.waitFor(() => {
      const found = notices(ALERTS_A, 'is failing');
      return found.length > 0 ? found : null;
    });
    await h.discord.waitFor(() => notices(ALERTS_B, 'is failing').length === 1 || null);
    expect(a?.content).toMatch(
      /^⚠️ The feed \*\*world\*\* \(http:\/\/127\.0\.0\.1:\d+\/world\.xml\) is failing/,
    );
    expect(a?.content).toContain(h.feeds.url('/world.xml'));
    expect(a?.content).toContain('http-5xx');
    expect(a?.allowedMentions).toEqual({ parse: [] });
    expect(a?.embeds).toEqual([]);
    expect(notices(ALERTS_B, 'is failing')[0]?.content).toContain('**wire**');

    // Still failing: retried, but never announced again.
    await tick();
    await tick();
    await settle();
    expect(notices(ALERTS_A, 'is failing')).toHaveLength(1);
    expect(notices(ALERTS_B, 'is failing')).toHaveLength(1);
    expect(h.runtime.store.getFeed(1)?.consecutiveFailures).toBe(THRESHOLD + 2);
  });

  it('shows the failing feed in /feed list with its last error and next poll, and in /wirewatch status', async () => {
    const list = await h.command(GUILD_A, 'feed', 'list');
    expect(list.content).toContain('**world**');
    expect(list.content).toContain('🔴 failing');
    expect(list.content).toMatch(/last success <t:\d+:R>/);
    expect(list.content).toMatch(/next poll <t:\d+:R>/);
    expect(list.content).toMatch(/last error <t:\d+:R> \[http-5xx\]: .*503.*, \d+ failures in a row/);
    const status = await h.command(GUILD_A, 'wirewatch', 'status');
    expect(status.content).toContain('1 failing: `world`');
    expect(status.content).toContain('⚠️ The feed **world**');
  });

  it('tells each server once more when the feed works again, and only once', async () => {
    h.feeds.route('/world.xml', feed(rss('World Wire', BASE), { etag: 'auto' }));
    await tick();
    await h.discord.waitFor(() => notices(ALERTS_A, 'works again').length === 1 || null);
    await h.discord.waitFor(() => notices(ALERTS_B, 'works again').length === 1 || null);
    expect(notices(ALERTS_A, 'works again')[0]?.allowedMentions).toEqual({ parse: [] });

    await tick();
    await settle();
    expect(notices(ALERTS_A, 'works again')).toHaveLength(1);
    expect(notices(ALERTS_B, 'works again')).toHaveLength(1);
    expect((await h.command(GUILD_A, 'feed', 'list')).content).toContain('🟢 ok');
    expect(h.runtime.store.listNotices(GUILD_A)).toEqual([]);
  });

  it('announces a new failure streak again after a recovery', async () => {
    h.feeds.route('/world.xml', feed('gone', { status: 500, contentType: 'text/plain' }));
    for (let n = 0; n < THRESHOLD; n++) await tick();
    await h.discord.waitFor(() => notices(ALERTS_A, 'is failing').length === 2 || null);
    await settle();
    expect(notices(ALERTS_B, 'is failing')).toHaveLength(2);
  });
});
