import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/commands/cli-io.js';
import { parseCommand } from '../../../src/commands/parse-command.js';
import type { FeedServer } from '../../support/feed-server.js';
import { feed, startFeedServer } from '../../support/feed-server.js';

const fixtures = fileURLToPath(new URL('../../fixtures/feeds/', import.meta.url));

function io(env: Record<string, string> = {}): CliIo & { out: string; err: string } {
  const sink = {
    out: '',
    err: '',
    env,
    cwd: fixtures,
    stdout(text: string) {
      sink.out += text;
    },
    stderr(text: string) {
      sink.err += text;
    },
  };
  return sink;
}

let server: FeedServer;
beforeAll(async () => {
  server = await startFeedServer({
    '/feed.xml': feed(
      '<rss version="2.0"><channel><title>Served</title><item><title>A</title><link>/a</link></item></channel></rss>',
    ),
  });
});
afterAll(() => server.close());

describe('wirewatch parse', () => {
  it('prints one JSON object with ISO dates and nulls', async () => {
    const out = io();
    expect(await parseCommand('rss2-wire.xml', { json: true }, out)).toBe(0);
    const doc = JSON.parse(out.out) as {
      feed: Record<string, unknown>;
      items: Array<Record<string, unknown>>;
    };
    expect(out.out.trim().split('\n')).toHaveLength(1);
    expect(doc.feed).toEqual({
      title: 'Wirewatch Test Wire & Cable',
      link: 'https://wire.example.org/',
      id: null,
      updated: '2025-03-04T09:30:00.000Z',
      published: null,
    });
    expect(Object.keys(doc.items[0] ?? {})).toEqual([
      'id',
      'title',
      'link',
      'summary',
      'published',
      'updated',
      'author',
      'categories',
    ]);
    expect(doc.items[0]?.published).toBe('2025-03-04T08:15:00.000Z');
  });

  it('prints a short listing without --json', async () => {
    const out = io();
    expect(await parseCommand('atom03.xml', { json: false }, out)).toBe(0);
    expect(out.out).toContain('Old Atom Feed');
    expect(out.out).toContain('- Atom 0.3 entry');
  });

  it('exits 1 with one line on stderr for something that is not a feed', async () => {
    for (const target of ['html-page.html', 'no-such-file.xml', 'truncated.xml']) {
      const out = io();
      expect(await parseCommand(target, { json: true }, out)).toBe(1);
      expect(out.out).toBe('');
      expect(out.err.trim().split('\n')).toHaveLength(1);
    }
  });

  it('fetches URLs through the address policy', async () => {
    const blocked = io();
    expect(await parseCommand(server.url('/feed.xml'), { json: true }, blocked)).toBe(1);
    expect(blocked.err).toContain('blocked-address');
    expect(server.connections).toBe(0);

    const allowed = io({ WIREWATCH_ALLOW_PRIVATE_NETWORKS: '1' });
    expect(await parseCommand(server.url('/feed.xml'), { json: true }, allowed)).toBe(0);
    const doc = JSON.parse(allowed.out) as { feed: { title: string }; items: Array<{ link: string }> };
    expect(doc.feed.title).toBe('Served');
    expect(doc.items[0]?.link).toBe(server.url('/a'));
  });
});
