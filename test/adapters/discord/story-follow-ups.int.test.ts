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

const OLD: Story = { guid: 'old-1', title: 'Harvest festival opens', summary: 'Pumpkins everywhere.' };
const LEAD =
  "NATO Secretary General Mark Rutte on Tuesday urged South Korea to step up military support for Ukraine, saying Seoul's arms industry could help Kyiv hold the front line.";

const REUTERS: Story = {
  guid: 'reuters-1',
  title: 'NATO chief urges South Korea to send more military support to Ukraine',
  summary: `SEOUL (Reuters) - ${LEAD}`,
  ageMinutes: -5,
};
/** The same story, moved on: its headline adds news the first one did not have. */
const RESPONSE: Story = {
  guid: 'yonhap-1',
  title: 'NATO chief urges South Korea to help Ukraine; North Korea responds with threats',
  summary: `SEOUL (Yonhap) -- ${LEAD} North Korea responded with threats.`,
  ageMinutes: -3,
};
const SECOND: Story = {
  guid: 'yonhap-2',
  title: 'NATO chief urges South Korea to help Ukraine; Seoul weighs artillery shipments',
  summary: `SEOUL (Yonhap) -- ${LEAD} Officials in Seoul weighed artillery shipments.`,
  ageMinutes: -2,
};

/**
 * stories.followUps through the whole bot: Newsroom B lets the bot use threads (@everyone keeps Discord's defaults),
 * Newsroom A does not (its @everyone lacks Create Public Threads), so there a follow-up is a reply.
 */
describe('Discord: follow-ups of a story in a thread under its alert', () => {
  let h: Harness;

  const publish = async (path: string, title: string, stories: Story[]): Promise<void> => {
    h.feeds.route(path, feed(rss(title, [...stories, OLD]), { etag: 'auto' }));
    h.clock.advance(2 * 3600_000);
    await h.runtime.app.tick();
  };

  beforeAll(async () => {
    h = await startHarness([OLD], { configLines: ['stories:', '  followUps: true'] });
    h.feeds.route('/yonhap.xml', feed(rss('Yonhap', [OLD]), { etag: 'auto' }));
    for (const [guild, channel] of [
      [GUILD_A, ALERTS_A],
      [GUILD_B, ALERTS_B],
    ] as const) {
      for (const path of ['/world.xml', '/yonhap.xml']) {
        const reply = await h.command(guild, 'feed', 'add', { url: h.feeds.url(path) });
        expect(reply.content).toContain('Added');
      }
      const watch = await h.command(guild, 'watch', 'add', { query: 'NATO', name: 'nato', channel });
      expect(watch.content).toContain('Watch `nato`');
    }
  });

  afterAll(async () => {
    await h?.stop();
  });

  it('posts one alert per server for the first outlet', async () => {
    await publish('/world.xml', 'World Wire', [REUTERS]);
    for (const channel of [ALERTS_A, ALERTS_B]) {
      const messages = await h.discord.waitFor(() =>
        h.discord.messages(channel).length >= 1 ? h.discord.messages(channel) : null,
      );
      expect((messages[0]!.embeds[0] as { title: string }).title).toBe(REUTERS.title);
    }
  });

  it('starts a thread under the alert for a real development, or replies where threads are not allowed', async () => {
    await publish('/yonhap.xml', 'Yonhap', [RESPONSE]);
    const alertB = h.discord.messages(ALERTS_B)[0]!;
    const thread = await h.discord.waitFor(() => h.discord.threads(ALERTS_B)[0]);
    expect(thread).toMatchObject({ id: alertB.id, name: REUTERS.title, type: 11 });
    const inThread = await h.discord.waitFor(() => h.discord.messages(thread.id)[0]);
    expect(inThread.content).toContain('North Korea responds with threats');
    expect(inThread.pings).toEqual({ everyone: false, roles: [], users: [] });
    // The alert itself is neither edited nor joined by a second message in the channel.
    expect(h.discord.messages(ALERTS_B)).toHaveLength(1);
    expect(alertB.edits).toEqual([]);

    const replies = await h.discord.waitFor(() =>
      h.discord.messages(ALERTS_A).length >= 2 ? h.discord.messages(ALERTS_A) : null,
    );
    expect(replies[1]!.content).toContain('North Korea responds with threats');
    expect(replies[1]!.body.message_reference).toMatchObject({ message_id: replies[0]!.id });
    expect(h.discord.threads(ALERTS_A)).toEqual([]);
    expect(h.logs.some((l) => l.includes('posted as a reply') && l.includes('Create Public Threads'))).toBe(
      true,
    );
  });

  it('posts the next development in the same thread after a restart', async () => {
    await h.restart();
    await publish('/yonhap.xml', 'Yonhap', [RESPONSE, SECOND]);
    const [thread] = h.discord.threads(ALERTS_B);
    const posts = await h.discord.waitFor(() =>
      h.discord.messages(thread!.id).length >= 2 ? h.discord.messages(thread!.id) : null,
    );
    expect(posts[1]!.content).toContain('Seoul weighs artillery shipments');
    expect(h.discord.threads(ALERTS_B)).toHaveLength(1);
    expect(h.discord.messages(ALERTS_B)).toHaveLength(1);
  });
});
