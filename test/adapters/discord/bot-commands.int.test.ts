import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feed } from '../../support/feed-server.js';
import {
  ALERTS_A,
  ALERTS_B,
  EDITORS_ROLE,
  GUILD_A,
  GUILD_B,
  MEMBER,
  NEWS_ROLE,
  OTHER_A,
  READONLY_A,
  rss,
  startHarness,
  VOICE_A,
  type Harness,
} from './bot-harness.js';

const STORIES = [
  { guid: 'a', title: 'NATO summit opens', summary: 'Leaders gather.' },
  { guid: 'b', title: 'Korea trade talks', summary: 'Seoul and Tokyo.' },
];

describe('Discord commands: errors answer clearly, servers stay apart', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness(STORIES);
    h.feeds.route('/page.html', feed('<html><body>Hello</body></html>', { contentType: 'text/html' }));
    h.feeds.route('/second.xml', feed(rss('Second Wire', STORIES)));
    h.feeds.route('/third.xml', feed(rss('Third Wire', [])));
    h.feeds.route('/fourth.xml', feed(rss('Fourth Wire', [])));
  });

  afterAll(async () => {
    await h?.stop();
  });

  it('refuses a bad URL, a blocked address and a page that is not a feed, saving nothing', async () => {
    const bad = await h.command(GUILD_A, 'feed', 'add', { url: 'not a url' });
    expect(bad.content).toContain("Couldn't add the feed");
    expect(bad.content).toContain('is not a URL');
    // A loopback address the config does not allow: refused by the address policy before any connection.
    const port = h.feeds.port;
    const before = h.feeds.requests.length;
    const blocked = await h.command(GUILD_A, 'feed', 'add', { url: `http://[::1]:${port}/world.xml` });
    expect(blocked.content).toContain('That address is not allowed');
    expect(h.feeds.requests.length).toBe(before);
    const page = await h.command(GUILD_A, 'feed', 'add', { url: h.feeds.url('/page.html') });
    expect(page.content).toContain('does not serve a feed');
    expect(h.runtime.store.listSubscriptions(`guild:${GUILD_A}`)).toEqual([]);
  });

  it('adds feeds up to the server limit, then says so', async () => {
    for (const path of ['/world.xml', '/second.xml', '/third.xml']) {
      expect((await h.command(GUILD_A, 'feed', 'add', { url: h.feeds.url(path) })).content).toContain('✅');
    }
    const again = await h.command(GUILD_A, 'feed', 'add', { url: h.feeds.url('/world.xml') });
    expect(again.content).toContain('already has that feed, as "World Wire"');
    const over = await h.command(GUILD_A, 'feed', 'add', { url: h.feeds.url('/fourth.xml') });
    expect(over.content).toContain('reached its limit of 3 feeds');
  });

  it('shows a query syntax error with a caret under the column', async () => {
    const reply = await h.command(GUILD_A, 'watch', 'add', { query: 'NATO AND (Korea' });
    expect(reply.content).toContain('syntax error');
    expect(reply.content).toMatch(/```\nNATO AND \(Korea\n\s*\^\n```/);
    const test = await h.command(GUILD_A, 'watch', 'test', { query: 'Korea OR' });
    expect(test.content).toContain('syntax error');
    expect(h.runtime.store.listWatches(`guild:${GUILD_A}`)).toEqual([]);
  });

  it('checks the alert channel: a text channel of this server where the bot can post embeds', async () => {
    const readonly = await h.command(GUILD_A, 'watch', 'add', { query: 'NATO', channel: READONLY_A });
    expect(readonly.content).toContain(`I can't post alerts in <#${READONLY_A}>: I'm missing Send Messages`);
    const voice = await h.command(GUILD_A, 'watch', 'add', { query: 'NATO', channel: VOICE_A });
    expect(voice.content).toContain('text or announcement channel');
    const foreign = await h.command(GUILD_A, 'watch', 'add', { query: 'NATO', channel: ALERTS_B });
    expect(foreign.content).toContain('is not a channel of this server');
  });

  it('warns when the role to mention cannot be pinged, and not when it can', async () => {
    const silent = await h.command(GUILD_A, 'watch', 'add', {
      query: 'Korea',
      name: 'korea-editors',
      mention: EDITORS_ROLE,
    });
    expect(silent.content).toContain('✅');
    expect(silent.content).toContain(`<@&${EDITORS_ROLE}> is not mentionable`);
    const pinging = await h.command(GUILD_A, 'watch', 'add', {
      query: 'Korea',
      name: 'korea-news',
      mention: NEWS_ROLE,
    });
    expect(pinging.content).toContain('✅');
    expect(pinging.content).not.toContain('not mentionable');
    await h.command(GUILD_A, 'watch', 'remove', { name: 'korea-editors' });
    await h.command(GUILD_A, 'watch', 'remove', { name: 'korea-news' });
  });

  it('refuses members without Manage Server, until a manager role is set', async () => {
    const member = { id: MEMBER, roles: [EDITORS_ROLE], permissions: '0' };
    const denied = await h.command(GUILD_A, 'feed', 'list', {}, { user: member });
    expect(denied.content).toContain('You need the **Manage Server** permission');
    const set = await h.command(
      GUILD_A,
      'wirewatch',
      'manager-role',
      { role: EDITORS_ROLE },
      { group: 'settings' },
    );
    expect(set.content).toContain(`Manager role: <@&${EDITORS_ROLE}>`);
    const allowed = await h.command(GUILD_A, 'feed', 'list', {}, { user: member });
    expect(allowed.content).toContain('**3 feeds**');
    const outsider = await h.command(
      GUILD_A,
      'feed',
      'list',
      {},
      { user: { id: '210000000000000055', permissions: '0' } },
    );
    expect(outsider.content).toContain(`or the <@&${EDITORS_ROLE}> role`);
  });

  it('adds a watch on chosen feeds and previews recent matches', async () => {
    const reply = await h.command(GUILD_A, 'watch', 'add', {
      query: 'Korea',
      name: 'korea',
      channel: OTHER_A,
      feeds: 'World Wire, Second Wire',
    });
    expect(reply.content).toContain('Watch `korea` posts to');
    expect(reply.content).toContain('matched **2** of 4 items');
    const list = await h.command(GUILD_A, 'watch', 'list');
    expect(list.content).toContain('**korea** — `Korea`');
    expect(list.content).toContain(`World Wire, Second Wire → <#${OTHER_A}>`);
  });

  it("never lets one server see or use another server's feeds and watches", async () => {
    const list = await h.command(GUILD_B, 'feed', 'list');
    expect(list.content).toContain('follows no feeds yet');
    const watchOnA = await h.command(GUILD_B, 'watch', 'add', { query: 'NATO', feeds: 'World Wire' });
    expect(watchOnA.content).toContain('No feed named "World Wire" in this server');
    const remove = await h.command(GUILD_B, 'feed', 'remove', { name: 'World Wire' });
    expect(remove.content).toContain('No feed named "World Wire"');
    const pause = await h.command(GUILD_B, 'watch', 'pause', { name: 'korea' });
    expect(pause.content).toContain('No watch named "korea"');
    const aWatch = h.runtime.store.listWatches(`guild:${GUILD_A}`)[0]!;
    const click = await h.discord
      .interaction({
        kind: 'button',
        guildId: GUILD_B,
        channelId: ALERTS_B,
        customId: `ww:pause:${aWatch.id}`,
      })
      .reply();
    expect(click.content).toContain('no longer exists in this server');
    expect(h.runtime.store.getWatch(aWatch.id)?.paused).toBe(false);
    const choices = await h.discord
      .interaction({
        kind: 'autocomplete',
        guildId: GUILD_B,
        channelId: ALERTS_B,
        name: 'feed',
        subcommand: 'remove',
        options: { name: 'Wor' },
        focused: 'name',
      })
      .choices();
    expect(choices).toEqual([]);
    // The same feed URL added by B is its own subscription; A's name is not B's.
    const added = await h.command(GUILD_B, 'feed', 'add', { url: h.feeds.url('/world.xml'), name: 'wire' });
    expect(added.content).toContain('as `wire`');
    expect(h.runtime.store.listSubscriptions(`guild:${GUILD_B}`).map((s) => s.name)).toEqual(['wire']);
  });

  it('autocompletes feed and watch names of the server', async () => {
    const feeds = await h.discord
      .interaction({
        kind: 'autocomplete',
        guildId: GUILD_A,
        channelId: ALERTS_A,
        name: 'watch',
        subcommand: 'add',
        options: { query: 'x', feeds: 'World Wire, Sec' },
        focused: 'feeds',
      })
      .choices();
    expect(feeds).toEqual([{ name: 'World Wire, Second Wire', value: 'World Wire, Second Wire' }]);
    const watches = await h.discord
      .interaction({
        kind: 'autocomplete',
        guildId: GUILD_A,
        channelId: ALERTS_A,
        name: 'watch',
        subcommand: 'remove',
        options: { name: 'ko' },
        focused: 'name',
      })
      .choices();
    expect(watches).toEqual([{ name: 'korea', value: 'korea' }]);
  });

  it('exports OPML and imports it into another server, reporting each entry', async () => {
    const exported = await h.command(GUILD_A, 'feed', 'export');
    const file = exported.attachments[0]!;
    expect(file.filename).toBe('wirewatch-feeds.opml');
    const opml = file.data.toString('utf8');
    expect(opml).toContain(`xmlUrl="${h.feeds.url('/second.xml')}"`);
    const withBad = opml.replace('</body>', '<outline text="bad" xmlUrl="http://[::1]:1/x"/></body>');
    const imported = await h.command(GUILD_B, 'feed', 'import', {
      file: { filename: 'feeds.opml', content: withBad, contentType: 'text/x-opml' },
    });
    expect(imported.content).toContain('Imported: 2 added, 1 skipped, 1 failed.');
    expect(imported.content).toContain('❌ http://[::1]:1/x');
    expect(imported.content).toMatch(/↪️ .*world\.xml — This server already has that feed/);
  });

  it('removes a feed and pauses the watches that followed only it', async () => {
    const first = await h.command(GUILD_A, 'feed', 'remove', { name: 'second wire' });
    expect(first.content).toContain('Removed `Second Wire`');
    const second = await h.command(GUILD_A, 'feed', 'remove', { name: 'World Wire' });
    expect(second.content).toContain('Paused watches that followed only this feed: `korea`');
    const watches = h.runtime.store.listWatches(`guild:${GUILD_A}`);
    expect(watches.map((w) => [w.name, w.paused])).toEqual([['korea', true]]);
  });
});
