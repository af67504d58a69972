import { MessageFlags } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { alertMessage, digestMessage } from '../../../src/adapters/discord/alert-message.js';
import type { OutboxRow } from '../../../src/app/ports.js';

function row(id: number, title: string, mentionRoleId: string | null = '777'): OutboxRow {
  return {
    id,
    destinationId: 1,
    watchId: 3,
    feedId: 2,
    itemKey: `k${id}`,
    alert: {
      watchId: 3,
      watchName: 'quakes',
      query: 'quake',
      feedId: 2,
      itemKey: `k${id}`,
      title,
      link: `https://n.example/${id}`,
      feedTitle: 'Wire',
      host: 'n.example',
      published: '2026-03-02T09:00:00.000Z',
      snippet: 'A quake.',
      matchedTerms: ['quake'],
      highlights: { title: [], snippet: [[2, 7]] },
      mentionRoleId,
      color: 0x3498db,
    },
    status: 'pending',
    attempts: 0,
    nextAttemptAt: new Date(0),
    createdAt: new Date(0),
    deliveredAt: null,
    lastError: null,
    nonce: `nonce${id}`.padEnd(24, '0'),
    remoteId: null,
  };
}

describe('alert messages', () => {
  it('pings only the watch role, and nobody during quiet hours', () => {
    const loud = alertMessage(row(1, 'Quake @everyone'), false);
    expect(loud).toMatchObject({ content: '<@&777>', allowed_mentions: { parse: [], roles: ['777'] } });
    expect(loud.flags).toBeUndefined();
    const quiet = alertMessage(row(1, 'Quake'), true);
    expect(quiet.content).toBeUndefined();
    expect(quiet.allowed_mentions).toEqual({ parse: [] });
    expect(quiet.flags).toBe(MessageFlags.SuppressNotifications);
    expect(quiet).toMatchObject({ nonce: row(1, '').nonce, enforce_nonce: true });
  });

  it('lists a digest within the description limit, with the first alert nonce', () => {
    const rows = Array.from({ length: 60 }, (_, i) =>
      row(i + 1, `Quake ${i + 1} ${'x'.repeat(150)} [breaking]`),
    );
    const body = digestMessage(rows, false);
    const embed = (body.embeds as Array<{ title: string; description: string }>)[0]!;
    expect(embed.title).toBe('60 new alerts from Wire · n.example');
    expect(embed.description.length).toBeLessThanOrEqual(4096);
    expect(embed.description).toMatch(/…and \d+ more$/);
    expect(embed.description).toContain('• [Quake 1 ');
    expect(embed.description).not.toContain('[breaking]');
    expect(body).toMatchObject({ nonce: rows[0]!.nonce, enforce_nonce: true, content: '<@&777>' });
  });
});
