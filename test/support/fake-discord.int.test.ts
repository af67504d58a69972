import {
  ApplicationCommandOptionType,
  ChannelType,
  DiscordAPIError,
  GatewayIntentBits,
  MessageFlags,
  PermissionFlagsBits,
} from 'discord.js';
import type { Client, Guild, TextChannel } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discordErrors } from './fake-discord/index.js';
import type { FakeDiscord } from './fake-discord/index.js';
import type { Newsroom } from './fake-discord/newsroom-fixture.js';
import {
  ALERTS,
  GUILD,
  NEWS_ROLE,
  OWNER,
  PRIVATE,
  READONLY,
  startNewsroom,
} from './fake-discord/newsroom-fixture.js';

const P = PermissionFlagsBits;

describe('fake Discord driven by the real discord.js client', () => {
  let newsroom: Newsroom;
  let discord: FakeDiscord;
  let client: Client;
  const guild = (): Guild => newsroom.guild();
  const channel = (id: string): TextChannel => newsroom.channel(id);

  beforeAll(async () => {
    newsroom = await startNewsroom();
    ({ discord, client } = newsroom);
  });

  afterAll(async () => {
    await newsroom?.stop();
  });

  it('logs in and becomes ready without the 15 s guild wait', () => {
    expect(newsroom.loginMs).toBeLessThan(2000);
    expect(client.user?.id).toBe(discord.botUser.id);
    expect(client.application?.id).toBe(discord.applicationId);
    expect(discord.gateway.identifies).toEqual([
      expect.objectContaining({ intents: GatewayIntentBits.Guilds, shard: [0, 1] }),
    ]);
    expect(discord.gateway.connections[0]).toMatchObject({ v: '10', encoding: 'json' });
    const gatewayLookup = discord.requests.find((r) => r.path === '/gateway/bot');
    expect(gatewayLookup).toMatchObject({ method: 'GET', auth: 'bot', status: 200 });
    expect(gatewayLookup?.headers.authorization).toBe('[redacted]');
  });

  it('caches the guild with its channels, roles and the bot member', () => {
    expect(guild().name).toBe('Newsroom');
    expect(guild().ownerId).toBe(OWNER);
    expect([...guild().channels.cache.keys()].sort()).toEqual([ALERTS, READONLY, PRIVATE]);
    expect(guild().roles.cache.get(NEWS_ROLE)?.name).toBe('news');
    expect(guild().members.me?.id).toBe(discord.botUser.id);
    expect(channel(ALERTS).type).toBe(ChannelType.GuildText);
  });

  it('lets discord.js compute the bot permissions from roles and overwrites, agreeing with the fake', () => {
    const me = guild().members.me!;
    const alerts = channel(ALERTS).permissionsFor(me);
    const readonly = channel(READONLY).permissionsFor(me);
    const hidden = channel(PRIVATE).permissionsFor(me);
    expect(alerts.has([P.ViewChannel, P.SendMessages, P.EmbedLinks])).toBe(true);
    expect(readonly.has(P.ViewChannel)).toBe(true);
    expect(readonly.has(P.SendMessages)).toBe(false);
    expect(hidden.has([P.ViewChannel, P.SendMessages])).toBe(true);
    expect(hidden.has(P.EmbedLinks)).toBe(false);
    for (const id of [ALERTS, READONLY, PRIVATE]) {
      expect(channel(id).permissionsFor(me).bitfield).toBe(
        discord.state.channelPermissions(id, discord.botUser.id),
      );
    }
  });

  it('stores registered guild commands and delivers a chat-input subcommand with typed options', async () => {
    await client.application!.commands.set(
      [
        {
          name: 'feed',
          description: 'Manage feeds',
          options: [
            {
              type: ApplicationCommandOptionType.Subcommand,
              name: 'add',
              description: 'Add a feed',
              options: [
                {
                  type: ApplicationCommandOptionType.String,
                  name: 'url',
                  description: 'Feed URL',
                  required: true,
                },
                {
                  type: ApplicationCommandOptionType.Channel,
                  name: 'channel',
                  description: 'Where alerts go',
                },
                {
                  type: ApplicationCommandOptionType.String,
                  name: 'name',
                  description: 'Name',
                  autocomplete: true,
                },
              ],
            },
          ],
        },
      ],
      GUILD,
    );
    expect(discord.commands(GUILD).map((c) => c.name)).toEqual(['feed']);
    let seen: { sub: string; url: string; channelId: string | undefined; user: string } | undefined;
    newsroom.onInteraction(async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      seen = {
        sub: interaction.options.getSubcommand(),
        url: interaction.options.getString('url', true),
        channelId: interaction.options.getChannel('channel')?.id,
        user: interaction.user.id,
      };
      await interaction.reply({ content: `Added ${seen.url}`, flags: MessageFlags.Ephemeral });
    });
    const sent = discord.interaction({
      guildId: GUILD,
      channelId: ALERTS,
      name: 'feed',
      subcommand: 'add',
      options: { url: 'https://news.example/rss', channel: ALERTS },
    });
    const reply = await sent.reply();
    expect(seen).toEqual({ sub: 'add', url: 'https://news.example/rss', channelId: ALERTS, user: OWNER });
    expect(reply.content).toBe('Added https://news.example/rss');
    expect(reply.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect((await sent.callback()).type).toBe(4);
    const callback = discord.requests.find(
      (r) => r.path === `/interactions/${sent.id}/${sent.token}/callback`,
    );
    expect(callback?.auth).toBe('none');
    expect(sent.record.payload.data).toMatchObject({ id: discord.commands(GUILD)[0]?.id, name: 'feed' });
  });

  it('records a deferred reply and its edit', async () => {
    newsroom.onInteraction(async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      await interaction.editReply({
        content: 'Checked 3 feeds',
        embeds: [{ title: 'Status', description: 'all good' }],
      });
    });
    const sent = discord.interaction({
      guildId: GUILD,
      channelId: ALERTS,
      name: 'feed',
      subcommand: 'add',
      options: { url: 'x' },
    });
    const reply = await sent.reply();
    expect(sent.record.callbacks.map((c) => c.type)).toEqual([5]);
    expect(reply).toMatchObject({
      content: 'Checked 3 feeds',
      embeds: [{ title: 'Status', description: 'all good' }],
    });
    expect(reply.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
  });

  it('records channel.send fields and posts one message for a repeated enforced nonce', async () => {
    const send = () =>
      channel(ALERTS).send({
        content: `<@&${NEWS_ROLE}> @everyone breaking`,
        embeds: [{ title: 'Quake', description: 'A **quake** hit', footer: { text: 'watch: quakes' } }],
        allowedMentions: { roles: [NEWS_ROLE] },
        nonce: 'alert-42',
        enforceNonce: true,
      });
    const before = discord.messages(ALERTS).length;
    const first = await send();
    const second = await send();
    expect(second.id).toBe(first.id);
    const posted = discord.messages(ALERTS);
    expect(posted).toHaveLength(before + 1);
    expect(posted.at(-1)).toMatchObject({
      id: first.id,
      embeds: [{ title: 'Quake', description: 'A **quake** hit', footer: { text: 'watch: quakes' } }],
      allowedMentions: { roles: [NEWS_ROLE] },
      nonce: 'alert-42',
      enforceNonce: true,
      pings: { everyone: false, roles: [NEWS_ROLE], users: [] },
    });
  });

  it('lets discord.js wait out a 429 with Retry-After 1 and then succeed', async () => {
    const path = `/channels/${ALERTS}/messages`;
    discord.failNext({ method: 'POST', path, ...discordErrors.rateLimited({ retryAfter: 1 }) });
    const limited: number[] = [];
    client.rest.once('rateLimited', (info) => limited.push(info.retryAfter));
    const started = Date.now();
    const message = await channel(ALERTS).send('after the storm');
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(limited).toHaveLength(1);
    const attempts = discord.requests.filter(
      (r) =>
        r.path === path &&
        r.body !== undefined &&
        (r.body as { content?: string }).content === 'after the storm',
    );
    expect(attempts.map((r) => [r.status, r.injected])).toEqual([
      [429, true],
      [200, false],
    ]);
    expect(discord.message(message.id)?.content).toBe('after the storm');
  });

  it('retries a 500 and surfaces 403 50013 as a DiscordAPIError', async () => {
    const path = `/channels/${ALERTS}/messages`;
    discord.failNext({ method: 'POST', path, ...discordErrors.serverError });
    await expect(channel(ALERTS).send('survives a 500')).resolves.toMatchObject({
      content: 'survives a 500',
    });

    discord.failNext({ method: 'POST', path, ...discordErrors.missingPermissions });
    const error = await channel(ALERTS)
      .send('denied')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect(error).toMatchObject({ code: 50013, status: 403, message: 'Missing Permissions' });

    const readonly = await channel(READONLY)
      .send('no send permission')
      .catch((e: unknown) => e);
    expect(readonly).toMatchObject({ code: 50013, status: 403 });
  });

  it('shuts down without leaving connections open', async () => {
    await newsroom.stop();
    expect(discord.gateway.readySessions).toBe(0);
    await expect(fetch(`${discord.apiBase}/v10/gateway`)).rejects.toThrow();
  });
});
