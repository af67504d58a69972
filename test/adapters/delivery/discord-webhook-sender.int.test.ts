import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DestinationRow, OutboxRow } from '../../../src/app/ports.js';
import type { AlertUpdateRow, AlertUpdateKind } from '../../../src/app/story-ports.js';
import { createWebhookSender } from '../../../src/adapters/delivery/discord-webhook-sender.js';
import { alsoReportedEdit } from '../../../src/adapters/discord/alert-message.js';
import { startFakeWebhook } from '../../support/fake-webhook.js';

type Hook = Awaited<ReturnType<typeof startFakeWebhook>>;

const row = (over: Partial<OutboxRow['alert']> = {}): OutboxRow => ({
  id: 1,
  destinationId: 1,
  watchId: 1,
  feedId: 1,
  itemKey: 'id:1',
  status: 'pending',
  attempts: 0,
  nextAttemptAt: new Date(),
  createdAt: new Date(),
  deliveredAt: null,
  lastError: null,
  nonce: 'n1',
  remoteId: null,
  alert: {
    watchId: 1,
    watchName: 'nato',
    query: 'NATO',
    feedId: 1,
    itemKey: 'id:1',
    title: 'NATO chief urges South Korea to do more @everyone',
    link: 'https://news.example.org/a',
    feedTitle: 'Example Wire',
    host: 'news.example.org',
    published: '2026-11-17T09:30:00.000Z',
    snippet: 'The head of NATO pressed Seoul.',
    matchedTerms: ['NATO'],
    highlights: { title: [[0, 4]], snippet: [[12, 16]] },
    mentionRoleId: null,
    color: null,
    ...over,
  },
});

describe('discord webhook sender (against a local fake webhook)', () => {
  let hook: Hook;
  let destination: DestinationRow;
  const slept: number[] = [];
  const sender = createWebhookSender({
    userAgent: 'wirewatch-test',
    timeoutMs: 2000,
    sleep: async (ms) => void slept.push(ms),
  });

  beforeEach(async () => {
    hook = await startFakeWebhook();
    slept.length = 0;
    destination = {
      id: 1,
      scope: 'config',
      name: 'hook',
      kind: 'discord-webhook',
      target: hook.url,
      enabled: true,
      disabledReason: null,
    };
  });
  afterEach(() => hook.close());

  it('posts one embed with wait=true and no pingable mentions, and returns the message id', async () => {
    const result = await sender.send(destination, row());
    expect(result).toEqual({ ok: true, remoteId: '1000' });
    expect(hook.calls).toHaveLength(1);
    const call = hook.calls[0]!;
    expect(call.query.get('wait')).toBe('true');
    const embeds = call.body.embeds as Array<{ title: string; description: string }>;
    expect(embeds[0]!.title).toContain('NATO chief urges');
    expect(embeds[0]!.description).toContain('**NATO**');
    expect(call.body.allowed_mentions).toEqual({ parse: [] });
  });

  it('mentions exactly the watch role when it has one', async () => {
    await sender.send(destination, row({ mentionRoleId: '42' }));
    expect(hook.calls[0]!.body.content).toBe('<@&42>');
    expect(hook.calls[0]!.body.allowed_mentions).toEqual({ roles: ['42'] });
  });

  it('waits out a short 429 Retry-After and then succeeds', async () => {
    hook.reply({
      status: 429,
      headers: { 'retry-after': '2' },
      body: { retry_after: 2, message: 'You are being rate limited.' },
    });
    const result = await sender.send(destination, row());
    expect(result.ok).toBe(true);
    expect(slept).toEqual([2000]);
    expect(hook.calls).toHaveLength(2);
  });

  it('hands a long 429 back to the outbox with the wait', async () => {
    hook.reply({ status: 429, headers: { 'retry-after': '60' }, body: { retry_after: 60 } });
    const result = await sender.send(destination, row());
    expect(result).toMatchObject({ ok: false, retry: true, retryAfterMs: 60_000 });
    expect(slept).toEqual([]);
  });

  it('asks for a retry on 5xx', async () => {
    hook.reply({ status: 502, body: { message: 'Bad Gateway' } });
    expect(await sender.send(destination, row())).toMatchObject({ ok: false, retry: true });
  });

  it('reports a deleted webhook (404) clearly, disables it, and keeps the URL secret', async () => {
    hook.reply({ status: 404, body: { message: 'Unknown Webhook', code: 10015 } });
    const result = await sender.send(destination, row());
    expect(result).toMatchObject({ ok: false, retry: false, disableDestination: true });
    if (!result.ok) {
      expect(result.error).toContain('not found');
      expect(result.error).not.toContain('s3cr3t');
    }
  });

  it('treats an unreachable webhook as retryable without leaking the URL', async () => {
    await hook.close();
    const result = await sender.send(destination, row());
    expect(result).toMatchObject({ ok: false, retry: true });
    if (!result.ok) expect(result.error).not.toContain('s3cr3t');
  });
});

const update = (id: number, outlet: string, kind: AlertUpdateKind = 'also-reported'): AlertUpdateRow => ({
  id,
  outboxId: 1,
  destinationId: 1,
  feedId: id + 1,
  itemKey: `id:${id}`,
  kind,
  report: {
    feedTitle: outlet,
    host: `${outlet.toLowerCase().replace(/\s+/g, '')}.example`,
    title: `${outlet}: NATO chief urges Seoul`,
    link: `https://${outlet.toLowerCase().replace(/\s+/g, '')}.example/${id}`,
    wire: null,
  },
  attempts: 0,
  createdAt: new Date(),
  nonce: `u${id}`,
});

describe('discord webhook sender: editing the alert as other outlets carry its story', () => {
  let hook: Hook;
  let destination: DestinationRow;
  const slept: number[] = [];
  const sender = createWebhookSender({
    userAgent: 'wirewatch-test',
    timeoutMs: 2000,
    sleep: async (ms) => void slept.push(ms),
  });
  const delivered = (remoteId: string | null): OutboxRow => ({ ...row(), status: 'delivered', remoteId });
  const all = [update(1, 'Korea Herald'), update(2, 'Yonhap')];

  beforeEach(async () => {
    hook = await startFakeWebhook();
    slept.length = 0;
    destination = {
      id: 1,
      scope: 'config',
      name: 'hook',
      kind: 'discord-webhook',
      target: hook.url,
      enabled: true,
      disabledReason: null,
    };
  });
  afterEach(() => hook.close());

  it('PATCHes the message it posted with the embed and every outlet, as the bot edits its own', async () => {
    const sent = await sender.send(destination, row());
    expect(sent).toEqual({ ok: true, remoteId: '1000' });
    const result = await sender.sendUpdate!(destination, delivered('1000'), all[1]!, all);
    expect(result).toEqual({ ok: true, remoteId: '1000' });
    expect(hook.calls.map((c) => c.method)).toEqual(['POST', 'PATCH']);
    const patch = hook.calls[1]!;
    expect(patch.path).toBe('/api/webhooks/123456789/s3cr3t-t0ken-value/messages/1000');
    expect(patch.query.has('wait')).toBe(false);
    const embed = (patch.body.embeds as Array<Record<string, unknown>>)[0]!;
    expect(embed.title).toContain('NATO chief urges');
    expect(embed.fields).toEqual([
      {
        name: 'Also reported by (2)',
        value: '[Korea Herald](https://koreaherald.example/1)\n[Yonhap](https://yonhap.example/2)',
        inline: false,
      },
    ]);
    // The same embed the bot's channel messages get, and nobody is pinged by an edit.
    expect(patch.body.embeds).toEqual(alsoReportedEdit(delivered('1000'), all).embeds);
    expect(patch.body.allowed_mentions).toEqual({ parse: [] });
    expect(patch.body.content).toBeUndefined();
  });

  it('edits inside the thread a webhook posts to', async () => {
    destination = { ...destination, target: `${hook.url}?thread_id=555` };
    await sender.sendUpdate!(destination, delivered('1000'), all[0]!, all);
    expect(hook.calls[0]!.path).toMatch(/\/messages\/1000$/);
    expect(hook.calls[0]!.query.get('thread_id')).toBe('555');
  });

  it('gives up without retry when the alert message was deleted, but keeps the webhook', async () => {
    hook.reply({ status: 404, body: { message: 'Unknown Message', code: 10008 } });
    const result = await sender.sendUpdate!(destination, delivered('1000'), all[0]!, all);
    expect(result).toEqual({ ok: false, retry: false, error: 'the alert message was deleted' });
    expect(hook.calls).toHaveLength(1);
  });

  it('disables the destination when the webhook itself is gone (Unknown Webhook)', async () => {
    hook.reply({ status: 404, body: { message: 'Unknown Webhook', code: 10015 } });
    const result = await sender.sendUpdate!(destination, delivered('1000'), all[0]!, all);
    expect(result).toMatchObject({ ok: false, retry: false, disableDestination: true });
    if (!result.ok) expect(result.error).not.toContain('s3cr3t');
  });

  it('waits out a short 429 on an edit, and hands 5xx back for a retry', async () => {
    hook.reply({ status: 429, headers: { 'retry-after': '1' }, body: { retry_after: 1 } });
    expect(await sender.sendUpdate!(destination, delivered('1000'), all[0]!, all)).toMatchObject({
      ok: true,
    });
    expect(slept).toEqual([1000]);
    expect(hook.calls.map((c) => c.method)).toEqual(['PATCH', 'PATCH']);
    hook.reply({ status: 503, body: { message: 'Service Unavailable' } });
    expect(await sender.sendUpdate!(destination, delivered('1000'), all[0]!, all)).toMatchObject({
      ok: false,
      retry: true,
    });
  });

  it('posts a line for a follow-up, or when the alert message id is unknown', async () => {
    const followUp = update(3, 'Yonhap', 'follow-up');
    await sender.sendUpdate!(destination, delivered('1000'), followUp, [...all, followUp]);
    await sender.sendUpdate!(destination, delivered(null), all[0]!, all);
    expect(hook.calls.map((c) => c.method)).toEqual(['POST', 'POST']);
    expect(hook.calls[0]!.body.content).toContain('↳ Update from [Yonhap](<https://yonhap.example/3>)');
    expect(hook.calls[1]!.body.content).toContain('↳ Also reported by [Korea Herald]');
    expect(hook.calls.every((c) => (c.body.allowed_mentions as { parse: [] }).parse.length === 0)).toBe(true);
  });
});
