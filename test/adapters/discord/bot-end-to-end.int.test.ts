import { GatewayIntentBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERTS_A, BOT, GUILD_A, NEWS_ROLE, startHarness, T0, type Harness } from './bot-harness.js';

const OLD_STORIES = [
  { guid: 'old-1', title: 'NATO ministers meet in Brussels', summary: 'Routine talks on budgets.' },
  { guid: 'old-2', title: 'Harvest festival opens', summary: 'Pumpkins everywhere.' },
];

describe('Discord bot end to end: two commands, then a correct alert', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness(OLD_STORIES);
  });

  afterAll(async () => {
    await h?.stop();
  });

  it('logs in with the Guilds intent only, through the configured REST base', () => {
    expect(h.discord.gateway.identifies).toEqual([
      expect.objectContaining({ intents: GatewayIntentBits.Guilds }),
    ]);
    expect(h.runtime.discord?.isReady()).toBe(true);
    expect(h.runtime.discord?.client.user?.id).toBe(BOT);
    expect(h.discord.requests.some((r) => r.path === '/gateway/bot' && r.status === 200)).toBe(true);
    expect(h.discord.commands().map((c) => c.name)).toEqual(['feed', 'watch', 'wirewatch']);
    expect(h.discord.commands().every((c) => c.default_member_permissions === '32')).toBe(true);
    expect(h.logs.join('\n')).not.toContain('fake-token');
  });

  it('adds a feed after fetching it once, and says what it found', async () => {
    const reply = await h.command(GUILD_A, 'feed', 'add', { url: h.feeds.url('/world.xml') });
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toContain('Added **World Wire** as `World Wire` (2 items now)');
    const interaction = h.discord.interactions.at(-1);
    // Deferred before fetching: Discord drops interactions not acknowledged within 3 s.
    expect(interaction?.callbacks.map((c) => c.type)).toEqual([5]);
  });

  it('adds a watch that pings a role, with a preview of the last 7 days', async () => {
    const reply = await h.command(GUILD_A, 'watch', 'add', {
      query: 'NATO',
      name: 'nato',
      channel: ALERTS_A,
      mention: NEWS_ROLE,
    });
    expect(reply.content).toContain(`Watch \`nato\` posts to <#${ALERTS_A}>, pinging <@&${NEWS_ROLE}>`);
    expect(reply.content).toContain('matched **1** of 2 items from the last 7 days');
    expect(reply.content).toContain('NATO ministers meet in Brussels');
  });

  it('posts one alert for a new matching story, none for the rest or the old ones', async () => {
    await h.publishAndTick([
      ...OLD_STORIES,
      {
        guid: 'new-1',
        title: '@everyone NATO chief urges South Korea to send more military support to Ukraine',
        summary: 'The NATO secretary general said Seoul could do more.',
        ageMinutes: -5,
      },
      { guid: 'new-2', title: 'Local bakery wins award', summary: 'Croissants.' },
    ]);
    const messages = await h.discord.waitFor(() => {
      const m = h.discord.messages(ALERTS_A);
      return m.length >= 1 ? m : null;
    });
    expect(messages).toHaveLength(1);
    const alert = messages[0]!;
    expect(alert.content).toBe(`<@&${NEWS_ROLE}>`);
    expect(alert.allowedMentions).toEqual({ parse: [], roles: [NEWS_ROLE] });
    expect(alert.pings).toEqual({ everyone: false, roles: [NEWS_ROLE], users: [] });
    expect(alert.nonce).toMatch(/^[0-9a-f]{24}$/);
    expect(alert.enforceNonce).toBe(true);
    const embed = alert.embeds[0] as Record<string, unknown>;
    expect(embed.title).toBe(
      '@everyone NATO chief urges South Korea to send more military support to Ukraine',
    );
    expect(embed.url).toBe('https://news.example/new-1');
    expect(embed.description).toContain('The **NATO** secretary general said Seoul could do more.');
    const published = Math.floor((T0.getTime() + 5 * 60_000) / 1000);
    expect(embed.description).toContain(`<t:${published}:R>`);
    expect(embed.author).toEqual({ name: 'World Wire · news.example' });
    expect(embed.footer).toEqual({ text: 'nato · matched: NATO' });
    expect(typeof embed.color).toBe('number');
    const buttons = (alert.components[0] as { components: Array<{ label: string }> }).components;
    expect(buttons.map((b) => b.label)).toEqual(['Pause watch', 'Mute for 1 h']);
    const outbox = h.runtime.store.listPendingAlerts(new Date(8.64e15), 10);
    expect(outbox).toEqual([]);
  });

  it('lets the watch be paused from the alert, and only by a manager', async () => {
    const alert = h.discord.messages(ALERTS_A)[0]!;
    const customId = (alert.components[0] as { components: Array<{ custom_id: string }> }).components[0]!
      .custom_id;
    const denied = await h.discord
      .interaction({
        kind: 'button',
        guildId: GUILD_A,
        channelId: ALERTS_A,
        customId,
        messageId: alert.id,
        user: { id: '210000000000000077', permissions: '0' },
      })
      .reply();
    expect(denied.content).toContain('Manage Server');
    expect(h.runtime.store.listWatches(`guild:${GUILD_A}`)[0]?.paused).toBe(false);
    const ok = await h.discord
      .interaction({ kind: 'button', guildId: GUILD_A, channelId: ALERTS_A, customId, messageId: alert.id })
      .reply();
    expect(ok.content).toContain('Paused `nato`');
    expect(h.runtime.store.listWatches(`guild:${GUILD_A}`)[0]?.paused).toBe(true);
    const resumed = await h.command(GUILD_A, 'watch', 'resume', { name: 'nato' });
    expect(resumed.content).toContain('Resumed `nato`');
  });

  it('reports status: feeds, watches, last poll, alerts today, queue', async () => {
    const reply = await h.command(GUILD_A, 'wirewatch', 'status');
    expect(reply.content).toContain('Feeds: 1');
    expect(reply.content).toContain('Watches: 1');
    expect(reply.content).toContain('Alerts sent today: 1');
    expect(reply.content).toContain('Waiting to be sent: 0');
  });
});
