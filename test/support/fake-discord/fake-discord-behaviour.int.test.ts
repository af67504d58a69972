import { ButtonStyle, ComponentType, Events } from 'discord.js';
import type { Client, TextChannel } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discordErrors } from './index.js';
import type { FakeDiscord } from './index.js';
import type { Newsroom } from './newsroom-fixture.js';
import { computePings, FakeMessageStore } from './fake-message-store.js';
import { ALERTS, GUILD, NEWS_ROLE, OWNER, PRIVATE, startNewsroom } from './newsroom-fixture.js';

describe('fake Discord: gateway life, components, uploads and Discord-like refusals', () => {
  let newsroom: Newsroom;
  let discord: FakeDiscord;
  let client: Client;
  const channel = (id: string): TextChannel => newsroom.channel(id);

  beforeAll(async () => {
    newsroom = await startNewsroom();
    ({ discord, client } = newsroom);
  });

  afterAll(async () => {
    await newsroom?.stop();
  });

  it('acknowledges heartbeats so discord.js measures a ping', async () => {
    await discord.waitFor(() => discord.gateway.heartbeats.length >= 2);
    await discord.waitFor(() => client.ws.ping >= 0);
    // The first beat may precede READY (random jitter); a later one carries the last sequence seen.
    expect(discord.gateway.heartbeats.at(-1)?.sequence).toBeGreaterThanOrEqual(2);
  });

  it('answers autocomplete with choices and updates a message from a button', async () => {
    newsroom.onInteraction(async (interaction) => {
      if (interaction.isAutocomplete()) {
        const typed = interaction.options.getFocused();
        await interaction.respond([{ name: `Reuters (${typed})`, value: 'reuters' }]);
      } else if (interaction.isButton()) {
        await interaction.update({ content: `paused by ${interaction.customId}`, components: [] });
      }
    });
    const auto = discord.interaction({
      kind: 'autocomplete',
      guildId: GUILD,
      channelId: ALERTS,
      name: 'feed',
      subcommand: 'add',
      options: { url: 'x', name: 'reu' },
      focused: 'name',
    });
    expect(await auto.choices()).toEqual([{ name: 'Reuters (reu)', value: 'reuters' }]);

    const alert = await channel(ALERTS).send({
      content: 'alert',
      components: [
        {
          type: ComponentType.ActionRow,
          components: [
            { type: ComponentType.Button, style: ButtonStyle.Secondary, customId: 'pause', label: 'Pause' },
          ],
        },
      ],
    });
    const click = discord.interaction({
      kind: 'button',
      guildId: GUILD,
      channelId: ALERTS,
      customId: 'pause',
      messageId: alert.id,
    });
    const updated = await click.reply();
    expect(updated.id).toBe(alert.id);
    expect(updated).toMatchObject({ content: 'paused by pause', components: [] });
  });

  it('answers mistakes the way Discord does', async () => {
    const tooLongNonce = await channel(ALERTS)
      .send({ content: 'x', nonce: 'a'.repeat(26), enforceNonce: true })
      .catch((e: unknown) => e);
    expect(tooLongNonce).toMatchObject({ code: 50035, status: 400 });
    const embedWithoutPermission = await channel(PRIVATE)
      .send({ embeds: [{ title: 'no Embed Links here' }] })
      .catch((e: unknown) => e);
    expect(embedWithoutPermission).toMatchObject({ code: 50013, status: 403 });
    await expect(channel(PRIVATE).send('plain text is fine')).resolves.toMatchObject({
      content: 'plain text is fine',
    });
    const oversized = await channel(ALERTS)
      .send({ embeds: [{ title: 't'.repeat(257) }] })
      .catch((e: unknown) => e);
    expect(oversized).toMatchObject({
      code: 50035,
      rawError: { errors: { embeds: { '0': { title: {} } } } },
    });
    const empty = await client.rest
      .post(`/channels/${ALERTS}/messages`, { body: {} })
      .catch((e: unknown) => e);
    expect(empty).toMatchObject({ code: 50006 });
  });

  it('takes file uploads in replies and serves attachment options on loopback', async () => {
    let downloaded = '';
    newsroom.onInteraction(async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      const file = interaction.options.getAttachment('file', true);
      downloaded = await (await fetch(file.url)).text();
      await interaction.reply({
        content: 'exported',
        files: [{ attachment: Buffer.from('<opml/>'), name: 'feeds.opml' }],
      });
      const second = await client.rest
        .post(`/interactions/${interaction.id}/${interaction.token}/callback`, {
          body: { type: 4, data: { content: 'again' } },
          auth: false,
        })
        .catch((e: unknown) => e);
      expect(second).toMatchObject({ code: 40060 });
    });
    const sent = discord.interaction({
      guildId: GUILD,
      channelId: ALERTS,
      name: 'feed',
      subcommand: 'add',
      options: {
        url: 'x',
        file: { filename: 'in.opml', content: '<opml version="2.0"/>', contentType: 'text/x-opml' },
      },
    });
    const reply = await sent.reply();
    expect(downloaded).toBe('<opml version="2.0"/>');
    expect(reply.attachments.map((a) => [a.filename, a.data.toString()])).toEqual([
      ['feeds.opml', '<opml/>'],
    ]);
    await discord.waitFor(() =>
      discord.requests.some((r) => r.status === 400 && r.path.endsWith('/callback')),
    );
  });

  it('lets discord.js resume after the gateway drops the connection', async () => {
    const resumed = new Promise<void>((resolve) => client.once(Events.ShardResume, () => resolve()));
    discord.gateway.disconnectAll(4000);
    await resumed;
    expect(discord.gateway.resumes).toBe(1);
    expect(discord.gateway.identifies).toHaveLength(1);
    newsroom.onInteraction(async (interaction) => {
      if (interaction.isChatInputCommand()) await interaction.reply('still here');
    });
    const sent = discord.interaction({
      guildId: GUILD,
      channelId: ALERTS,
      name: 'feed',
      subcommand: 'add',
      options: { url: 'x' },
    });
    expect((await sent.reply()).content).toBe('still here');
  });

  it('waits out a global 429 (X-RateLimit-Global)', async () => {
    discord.failNext({
      method: 'GET',
      path: `/channels/${ALERTS}`,
      ...discordErrors.rateLimited({ retryAfter: 0.3, global: true }),
    });
    const started = Date.now();
    await client.rest.get(`/channels/${ALERTS}`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
  });

  it('dispatches guild joins and removals to the client', async () => {
    const joined = new Promise<string>((resolve) => client.once(Events.GuildCreate, (g) => resolve(g.id)));
    discord.addGuild({ id: '100000000000000002', name: 'Second', channels: [{ id: '400000000000000009' }] });
    expect(await joined).toBe('100000000000000002');
    const left = new Promise<string>((resolve) => client.once(Events.GuildDelete, (g) => resolve(g.id)));
    discord.removeGuild('100000000000000002');
    expect(await left).toBe('100000000000000002');
    expect(client.guilds.cache.has('100000000000000002')).toBe(false);
    expect(newsroom.handlerErrors).toEqual([]);
  });
});

describe('fake Discord message store', () => {
  it('forgets an enforced nonce once its window has passed', () => {
    let now = 1_000_000;
    let next = 0;
    const store = new FakeMessageStore(
      () => String(++next),
      () => now,
      60_000,
    );
    const post = () =>
      store.create({
        channelId: ALERTS,
        body: { content: 'a', nonce: 'n1', enforce_nonce: true },
        files: [],
      });
    const first = post();
    now += 59_000;
    const repeated = post();
    now += 2_000;
    const afterWindow = post();
    expect(repeated).toEqual({ message: first.message, duplicate: true });
    expect(afterWindow.duplicate).toBe(false);
    expect(afterWindow.message.id).not.toBe(first.message.id);
  });

  it('pings only what allowed_mentions lets through', () => {
    const content = `@everyone <@&${NEWS_ROLE}> <@${OWNER}>`;
    expect(computePings(content, undefined)).toEqual({ everyone: true, roles: [NEWS_ROLE], users: [OWNER] });
    expect(computePings(content, { parse: [] })).toEqual({ everyone: false, roles: [], users: [] });
    expect(computePings(content, { parse: ['users'], roles: [NEWS_ROLE] })).toEqual({
      everyone: false,
      roles: [NEWS_ROLE],
      users: [OWNER],
    });
  });
});
