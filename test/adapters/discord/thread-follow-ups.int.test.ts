import { PermissionFlagsBits, REST } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createChannelSender,
  THREAD_AUTO_ARCHIVE_MINUTES,
} from '../../../src/adapters/discord/channel-sender.js';
import type { AlertSender, DestinationRow, OutboxRow } from '../../../src/app/ports.js';
import type { AlertUpdateRow, UpdatedAlert, UpdateResult } from '../../../src/app/story-ports.js';
import { startFakeDiscord, type FakeDiscord } from '../../support/fake-discord/index.js';

const P = PermissionFlagsBits;
const GUILD = '130000000000000001';
const BOT = '230000000000000009';
const NEWS = '430000000000000001';
const LONG_TITLE =
  'NATO chief urges South Korea to send more military support to Ukraine as allies meet in Brussels for a second day';

let nextUpdate = 1;
function followUp(title: string): AlertUpdateRow {
  const id = nextUpdate++;
  return {
    id,
    outboxId: 1,
    destinationId: 1,
    feedId: 2,
    itemKey: `id:${id}`,
    kind: 'follow-up',
    report: {
      feedTitle: 'Yonhap',
      host: 'yna.example',
      title,
      link: `https://yna.example/${id}`,
      wire: null,
    },
    attempts: 0,
    createdAt: new Date(),
    nonce: `update-nonce-${id}`,
  };
}

const outboxRow: OutboxRow = {
  id: 1,
  destinationId: 1,
  watchId: 7,
  feedId: 1,
  itemKey: 'id:1',
  status: 'pending',
  attempts: 0,
  nextAttemptAt: new Date(),
  createdAt: new Date(),
  deliveredAt: null,
  lastError: null,
  nonce: 'alert-nonce-1',
  remoteId: null,
  alert: {
    watchId: 7,
    watchName: 'nato',
    query: 'NATO',
    feedId: 1,
    itemKey: 'id:1',
    title: LONG_TITLE,
    link: 'https://news.example/r1',
    feedTitle: 'World Wire',
    host: 'news.example',
    published: '2026-03-03T09:30:00.000Z',
    snippet: 'SEOUL (Reuters) - NATO Secretary General Mark Rutte urged South Korea to step up.',
    matchedTerms: ['NATO'],
    highlights: { title: [[0, 4]], snippet: [] },
    mentionRoleId: null,
    color: null,
  },
};

describe('Discord channel sender: follow-ups in a thread under the alert (against the fake Discord)', () => {
  let discord: FakeDiscord;
  let sender: AlertSender;
  let destination: DestinationRow;
  let alert: UpdatedAlert;
  const gone: string[] = [];
  const lost: string[] = [];
  const threadPosts = () =>
    discord.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/threads'));
  const update = (row: UpdatedAlert, u: AlertUpdateRow) =>
    sender.sendUpdate!(destination, row, u, [u]) as Promise<UpdateResult>;

  beforeEach(async () => {
    gone.length = 0;
    lost.length = 0;
    discord = await startFakeDiscord({
      botUser: { id: BOT, username: 'wirewatch' },
      // @everyone keeps Discord's defaults, which include Create Public Threads and Send Messages in Threads.
      guilds: [{ id: GUILD, name: 'Newsroom', botPermissions: P.EmbedLinks, channels: [{ id: NEWS }] }],
    });
    const rest = new REST({ api: discord.apiBase, retries: 0 }).setToken('fake-token');
    sender = createChannelSender({
      rest,
      onAccessLost: (d, reason) => void lost.push(`${d.target}: ${reason}`),
      onChannelGone: (d) => void gone.push(d.target),
    });
    destination = {
      id: 1,
      scope: `guild:${GUILD}`,
      name: '#news',
      kind: 'discord-channel',
      target: NEWS,
      enabled: true,
      disabledReason: null,
    };
    const sent = await sender.send(destination, outboxRow);
    if (!sent.ok) throw new Error(sent.error);
    alert = { ...outboxRow, status: 'delivered', remoteId: sent.remoteId, threadId: null };
  });

  afterEach(async () => {
    await discord.close();
  });

  it('starts a thread named after the alert, posts follow-ups there, and reuses the stored thread', async () => {
    const first = await update(alert, followUp('NATO chief urges South Korea to help; North Korea responds'));
    expect(first).toMatchObject({ ok: true, threadId: alert.remoteId });
    expect(first.fallback).toBeUndefined();
    const [thread] = discord.threads(NEWS);
    expect(thread).toMatchObject({ id: alert.remoteId, parentId: NEWS, type: 11 });
    expect(thread!.name.length).toBeLessThanOrEqual(100);
    // Cut at a word, within Discord's 100 characters.
    expect(thread!.name.endsWith('…')).toBe(true);
    expect(LONG_TITLE.startsWith(thread!.name.slice(0, -1))).toBe(true);
    expect(thread!.name.length).toBeGreaterThan(80);
    expect(thread!.thread?.autoArchiveDuration).toBe(THREAD_AUTO_ARCHIVE_MINUTES);
    const [posted] = discord.messages(thread!.id);
    expect(posted!.content).toContain(
      '↳ Update: [NATO chief urges South Korea to help; North Korea responds]',
    );
    expect(posted!.content).toContain('— Yonhap');
    expect(posted!.enforceNonce).toBe(true);
    expect(posted!.allowedMentions).toEqual({ parse: [] });

    const second = await update({ ...alert, threadId: first.threadId }, followUp('Seoul answers Rutte'));
    expect(second).toMatchObject({ ok: true, threadId: alert.remoteId });
    expect(threadPosts()).toHaveLength(1);
    expect(discord.messages(thread!.id)).toHaveLength(2);
    // Nothing but the alert in the channel itself.
    expect(discord.messages(NEWS)).toHaveLength(1);
  });

  it('finds the thread again when its id was not stored, and never posts a retried follow-up twice', async () => {
    const u = followUp('North Korea responds to NATO');
    await update(alert, u);
    const again = await update(alert, u);
    expect(again).toMatchObject({ ok: true, threadId: alert.remoteId });
    expect(discord.threads(NEWS)).toHaveLength(1);
    expect(discord.messages(alert.remoteId!)).toHaveLength(1);
  });

  it('falls back to a reply in the channel without Create Public Threads, and says why', async () => {
    discord.setRolePermissions(GUILD, GUILD, P.ViewChannel | P.SendMessages | P.SendMessagesInThreads);
    const result = await update(alert, followUp('North Korea responds to NATO'));
    expect(result).toMatchObject({ ok: true, threadId: null });
    expect(result.fallback).toContain('Create Public Threads');
    expect(discord.threads()).toEqual([]);
    const reply = discord.messages(NEWS)[1]!;
    expect(reply.body.message_reference).toEqual({ message_id: alert.remoteId, fail_if_not_exists: false });
    expect(reply.content).toContain('↳ Update:');
    // A missing thread permission is not lost access: the destination stays on.
    expect(lost).toEqual([]);
  });

  it('falls back to a reply without Send Messages in Threads, keeping the thread', async () => {
    discord.setRolePermissions(GUILD, GUILD, P.ViewChannel | P.SendMessages | P.CreatePublicThreads);
    const result = await update(alert, followUp('North Korea responds to NATO'));
    expect(result).toMatchObject({ ok: true, threadId: alert.remoteId });
    expect(result.fallback).toContain('Send Messages in Threads');
    expect(discord.messages(NEWS)).toHaveLength(2);
    expect(lost).toEqual([]);
  });

  it('starts a new thread when the stored one was deleted, and replies when it is locked', async () => {
    const first = await update(alert, followUp('North Korea responds to NATO'));
    discord.removeChannel(first.threadId!);
    const renewed = await update({ ...alert, threadId: first.threadId }, followUp('Seoul answers Rutte'));
    expect(renewed).toMatchObject({ ok: true, threadId: alert.remoteId });
    expect(renewed.fallback).toBeUndefined();
    expect(threadPosts()).toHaveLength(2);
    expect(discord.messages(alert.remoteId!).map((m) => m.content)).toEqual([
      expect.stringContaining('Seoul answers Rutte'),
    ]);
    expect(gone).toEqual([]);

    discord.archiveThread(alert.remoteId!, { locked: true });
    const locked = await update({ ...alert, threadId: alert.remoteId }, followUp('Kyiv thanks Seoul'));
    expect(locked).toMatchObject({ ok: true });
    expect(locked.fallback).toContain('Thread is archived');
    expect(discord.messages(NEWS).at(-1)!.content).toContain('Kyiv thanks Seoul');
  });

  it('replies instead of starting a thread on a digest, and gives up when the alert was deleted', async () => {
    const digest = await update({ ...alert, sharesMessage: true }, followUp('North Korea responds to NATO'));
    expect(digest.ok).toBe(true);
    expect(threadPosts()).toHaveLength(0);
    expect(discord.messages(NEWS)).toHaveLength(2);

    discord.message(alert.remoteId!)!.deleted = true;
    const deleted = await update(alert, followUp('Seoul answers Rutte'));
    expect(deleted).toMatchObject({ ok: false, retry: false, error: 'the alert message was deleted' });
  });

  it('keeps a retryable failure retryable (5xx while posting in the thread)', async () => {
    const first = await update(alert, followUp('North Korea responds to NATO'));
    discord.failNext({
      method: 'POST',
      path: `/channels/${first.threadId}/messages`,
      status: 500,
      body: { code: 0, message: '500: Internal Server Error' },
    });
    const failed = await update({ ...alert, threadId: first.threadId }, followUp('Seoul answers Rutte'));
    expect(failed).toMatchObject({ ok: false, retry: true, threadId: first.threadId });
  });
});
