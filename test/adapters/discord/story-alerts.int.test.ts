import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feed } from '../../support/feed-server.js';
import { ALERTS_A, GUILD_A, OTHER_A, rss, startHarness, type Harness, type Story } from './bot-harness.js';

const OLD: Story = { guid: 'old-1', title: 'Harvest festival opens', summary: 'Pumpkins everywhere.' };

const REUTERS: Story = {
  guid: 'reuters-1',
  title: 'NATO chief urges South Korea to send more military support to Ukraine',
  summary:
    "SEOUL (Reuters) - NATO Secretary General Mark Rutte on Tuesday urged South Korea to step up military support for Ukraine, saying Seoul's arms industry could help Kyiv hold the front line.",
  ageMinutes: -5,
};
const HERALD: Story = {
  guid: 'herald-1',
  title: 'Rutte presses Seoul to boost military aid to Ukraine',
  summary:
    "NATO Secretary General Mark Rutte urged South Korea on Tuesday to step up its military support for Ukraine, saying the country's arms industry could help Kyiv. (Reuters)",
  ageMinutes: -4,
};
const YONHAP: Story = {
  guid: 'yonhap-1',
  title: 'NATO secretary general calls on S. Korea to expand support for Ukraine',
  summary:
    "SEOUL, March 3 (Yonhap) -- NATO Secretary General Mark Rutte called on South Korea on Tuesday to expand its military support for Ukraine, citing Seoul's defence industry.",
  ageMinutes: -3,
};
const OTHER_NATO: Story = {
  guid: 'herald-2',
  title: 'NATO chief says allies pledged $40 billion in Ukraine military aid',
  summary:
    'BRUSSELS (Reuters) - NATO allies have pledged $40 billion in military aid to Ukraine for next year, NATO Secretary General Mark Rutte said on Tuesday after a meeting of defence ministers.',
  ageMinutes: -4,
};

describe('Discord: one story, one alert, edited as other outlets carry it', () => {
  let h: Harness;

  const publish = async (path: string, title: string, stories: Story[]): Promise<void> => {
    h.feeds.route(path, feed(rss(title, [...stories, OLD]), { etag: 'auto' }));
    h.clock.advance(2 * 3600_000);
    await h.runtime.app.tick();
  };

  beforeAll(async () => {
    h = await startHarness([OLD]);
    h.feeds.route('/herald.xml', feed(rss('Korea Herald', [OLD]), { etag: 'auto' }));
    h.feeds.route('/yonhap.xml', feed(rss('Yonhap', [OLD]), { etag: 'auto' }));
    for (const path of ['/world.xml', '/herald.xml', '/yonhap.xml']) {
      const reply = await h.command(GUILD_A, 'feed', 'add', { url: h.feeds.url(path) });
      expect(reply.content).toContain('Added');
    }
    const watch = await h.command(GUILD_A, 'watch', 'add', {
      query: 'NATO',
      name: 'nato',
      channel: ALERTS_A,
    });
    expect(watch.content).toContain('Watch `nato`');
  });

  afterAll(async () => {
    await h?.stop();
  });

  it('posts one alert for the first outlet', async () => {
    await publish('/world.xml', 'World Wire', [REUTERS]);
    const messages = await h.discord.waitFor(() =>
      h.discord.messages(ALERTS_A).length >= 1 ? h.discord.messages(ALERTS_A) : null,
    );
    expect(messages).toHaveLength(1);
    expect((messages[0]!.embeds[0] as { title: string }).title).toBe(REUTERS.title);
  });

  it('edits that alert to list the second outlet, and alerts a different NATO story on its own', async () => {
    await publish('/herald.xml', 'Korea Herald', [HERALD, OTHER_NATO]);
    const messages = await h.discord.waitFor(() => {
      const m = h.discord.messages(ALERTS_A);
      return m.length >= 2 && (m[0]?.edits.length ?? 0) >= 1 ? m : null;
    });
    expect(messages).toHaveLength(2);
    expect((messages[1]!.embeds[0] as { title: string }).title).toBe(OTHER_NATO.title);
    const first = messages[0]!;
    const embed = first.embeds[0] as { title: string; fields?: Array<{ name: string; value: string }> };
    expect(embed.title).toBe(REUTERS.title);
    expect(embed.fields).toEqual([
      { name: 'Also reported by (1)', value: '[Korea Herald](https://news.example/herald-1)', inline: false },
    ]);
    // The edit keeps the buttons (a PATCH without components leaves them) and pings nobody.
    expect(first.components).toHaveLength(1);
    expect(first.pings).toEqual({ everyone: false, roles: [], users: [] });
  });

  it('edits it again after a restart, listing every outlet so far', async () => {
    await h.restart();
    await publish('/yonhap.xml', 'Yonhap', [YONHAP]);
    const first = await h.discord.waitFor(() => {
      const m = h.discord.messages(ALERTS_A)[0];
      return m && m.edits.length >= 2 ? m : null;
    });
    expect(h.discord.messages(ALERTS_A)).toHaveLength(2);
    const embed = first.embeds[0] as { fields?: Array<{ name: string; value: string }> };
    expect(embed.fields?.[0]?.name).toBe('Also reported by (2)');
    expect(embed.fields?.[0]?.value).toBe(
      '[Korea Herald](https://news.example/herald-1)\n[Yonhap](https://news.example/yonhap-1)',
    );
    const patches = h.discord.requests.filter(
      (r) => r.method === 'PATCH' && r.path.startsWith(`/channels/${ALERTS_A}/`),
    );
    expect(patches.map((r) => r.path)).toEqual([
      `/channels/${ALERTS_A}/messages/${first.id}`,
      `/channels/${ALERTS_A}/messages/${first.id}`,
    ]);
  });

  it('sets a channel quiet hours and rate cap from /wirewatch settings channel', async () => {
    const group = { group: 'settings' };
    const saved = await h.command(
      GUILD_A,
      'wirewatch',
      'channel',
      { channel: ALERTS_A, 'quiet-start': '22:00', 'quiet-end': '07:00', 'rate-max': 5, 'rate-minutes': 10 },
      group,
    );
    expect(saved.content).toContain('✅ Saved.');
    expect(saved.content).toContain('quiet hours: 22:00–07:00 UTC');
    expect(saved.content).toContain('at most 5 messages in 10 min');
    const destination = h.runtime.store
      .listDestinations(`guild:${GUILD_A}`)
      .find((d) => d.kind === 'discord-channel' && d.target === ALERTS_A)!;
    expect(h.runtime.store.getDestinationPolicy(destination.id)).toEqual({
      quietHours: { start: 22 * 60, end: 7 * 60 },
      rateCap: { max: 5, windowSec: 600 },
    });
    const bad = await h.command(GUILD_A, 'wirewatch', 'channel', { channel: ALERTS_A, 'rate-max': 5 }, group);
    expect(bad.content).toContain('Give both `rate-max` and `rate-minutes`');
    const none = await h.command(GUILD_A, 'wirewatch', 'channel', { channel: OTHER_A, clear: true }, group);
    expect(none.content).toContain('No watch posts to');
  });
});
