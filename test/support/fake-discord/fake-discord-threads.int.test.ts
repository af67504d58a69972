import { ChannelType, DiscordAPIError, PermissionFlagsBits, Routes } from 'discord.js';
import type { Client } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeDiscord } from './index.js';
import type { Newsroom } from './newsroom-fixture.js';
import { ALERTS, GUILD, PRIVATE, startNewsroom } from './newsroom-fixture.js';

const P = PermissionFlagsBits;

/** The Discord error code a REST call failed with (null when it did not fail). */
async function codeOf(call: Promise<unknown>): Promise<number | null> {
  try {
    await call;
    return null;
  } catch (err) {
    if (err instanceof DiscordAPIError) return Number(err.code);
    throw err;
  }
}

describe('fake Discord: threads started from a message', () => {
  let newsroom: Newsroom;
  let discord: FakeDiscord;
  let client: Client;
  const start = (channelId: string, messageId: string, body: object) =>
    client.rest.post(Routes.threads(channelId, messageId), { body }) as Promise<Record<string, unknown>>;
  const post = (channelId: string, body: object) =>
    client.rest.post(Routes.channelMessages(channelId), { body }) as Promise<{ id: string }>;
  const grantEveryone = (extra: bigint) =>
    discord.setRolePermissions(GUILD, GUILD, P.ViewChannel | P.ReadMessageHistory | extra);

  beforeAll(async () => {
    newsroom = await startNewsroom();
    ({ discord, client } = newsroom);
  });

  afterAll(async () => {
    await newsroom?.stop();
  });

  it('refuses a thread without Create Public Threads, then starts a public thread with the message id', async () => {
    const alert = await newsroom.channel(ALERTS).send('NATO chief urges South Korea to do more');
    expect(await codeOf(start(ALERTS, alert.id, { name: 'NATO', auto_archive_duration: 1440 }))).toBe(50013);
    expect(discord.threads(ALERTS)).toEqual([]);

    grantEveryone(P.CreatePublicThreads);
    const thread = await start(ALERTS, alert.id, { name: 'NATO chief', auto_archive_duration: 1440 });
    expect(thread).toMatchObject({ id: alert.id, type: ChannelType.PublicThread, parent_id: ALERTS });
    expect(thread.thread_metadata).toMatchObject({
      archived: false,
      locked: false,
      auto_archive_duration: 1440,
    });
    // THREAD_CREATE reached the client, and the guild's channel list still leaves threads out.
    await discord.waitFor(() => client.channels.cache.get(alert.id));
    const listed = (await client.rest.get(Routes.guildChannels(GUILD))) as Array<{ id: string }>;
    expect(listed.map((c) => c.id)).not.toContain(alert.id);

    expect(await codeOf(start(ALERTS, alert.id, { name: 'again' }))).toBe(160004);
    const other = await newsroom.channel(ALERTS).send('another alert');
    expect(await codeOf(start(ALERTS, other.id, { name: 'x'.repeat(101) }))).toBe(50035);
    expect(await codeOf(start(ALERTS, other.id, { name: 'x', auto_archive_duration: 30 }))).toBe(50035);
    expect(await codeOf(start(ALERTS, '999', { name: 'x' }))).toBe(10008);
    expect(discord.threads(ALERTS).map((t) => t.id)).toEqual([alert.id]);
  });

  it('takes posts with Send Messages in Threads, apart from the parent channel', async () => {
    const [thread] = discord.threads(ALERTS);
    grantEveryone(P.CreatePublicThreads);
    expect(await codeOf(post(thread!.id, { content: 'update' }))).toBe(50013);

    grantEveryone(P.CreatePublicThreads | P.SendMessagesInThreads);
    const message = await post(thread!.id, { content: 'update', nonce: 'u1', enforce_nonce: true });
    const again = await post(thread!.id, { content: 'update', nonce: 'u1', enforce_nonce: true });
    expect(again.id).toBe(message.id);
    expect(discord.messages(thread!.id).map((m) => m.content)).toEqual(['update']);
    expect(discord.messages(ALERTS).map((m) => m.content)).not.toContain('update');
  });

  it('inherits the parent channel overwrites (no Embed Links in #private means none in its threads)', async () => {
    const alert = await newsroom.channel(PRIVATE).send('private alert');
    await start(PRIVATE, alert.id, { name: 'private' });
    expect(await codeOf(post(alert.id, { embeds: [{ title: 'x' }] }))).toBe(50013);
    expect(await codeOf(post(alert.id, { content: 'plain' }))).toBeNull();
  });

  it('unarchives an archived thread on a post, refuses one that is also locked, and forgets a deleted one', async () => {
    const [thread] = discord.threads(ALERTS);
    discord.archiveThread(thread!.id);
    await post(thread!.id, { content: 'wakes it' });
    expect(thread!.thread?.archived).toBe(false);

    discord.archiveThread(thread!.id, { locked: true });
    expect(await codeOf(post(thread!.id, { content: 'refused' }))).toBe(50083);

    discord.removeChannel(thread!.id);
    expect(await codeOf(post(thread!.id, { content: 'gone' }))).toBe(10003);
    // With the thread gone, the message can start a new one.
    const restarted = await start(ALERTS, thread!.id, { name: 'NATO, again' });
    expect(restarted).toMatchObject({ id: thread!.id, name: 'NATO, again' });
  });
});
