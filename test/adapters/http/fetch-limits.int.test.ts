import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedFetcherOptions } from '../../../src/adapters/http/feed-fetcher.js';
import { createFeedFetcher } from '../../../src/adapters/http/feed-fetcher.js';
import type { FeedServer } from '../../support/feed-server.js';
import { drip, feed, handler, startFeedServer } from '../../support/feed-server.js';

const RSS = (title: string, items = ['One']): string =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>${title}</title>${items.map((t, i) => `<item><title>${t}</title><guid>g${i}</guid></item>`).join('')}</channel></rss>`;
const none = { etag: null, lastModified: null };

let server: FeedServer;
const fetcherWith = (options: FeedFetcherOptions = {}) =>
  createFeedFetcher({ allowedHosts: ['127.0.0.1'], timeoutMs: 3000, ...options });
const fetcher = fetcherWith();

beforeAll(async () => {
  server = await startFeedServer();
});
afterAll(async () => {
  await fetcher.close();
  await server.close();
});

describe('limits', () => {
  const small = fetcherWith({ maxBodyBytes: 64 * 1024 });
  afterAll(() => small.close());

  it('refuses a body over the limit by its Content-Length', async () => {
    server.route('/big.xml', feed('x'.repeat(200 * 1024)));
    expect(await small.fetch(server.url('/big.xml'), none)).toMatchObject({
      kind: 'error',
      problem: { code: 'too-large' },
    });
  });

  it('stops a chunked body at the limit', async () => {
    server.route(
      '/chunked.xml',
      handler((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        for (let i = 0; i < 40; i++) res.write('y'.repeat(8 * 1024));
        res.end();
      }),
    );
    expect(await small.fetch(server.url('/chunked.xml'), none)).toMatchObject({
      kind: 'error',
      problem: { code: 'too-large' },
    });
  });

  it('stops a compression bomb at the decompressed limit', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024)); // 64 MiB of zeros in ~64 KiB
    server.route(
      '/bomb.xml',
      feed(bomb, { headers: { 'content-encoding': 'gzip' }, contentType: 'application/rss+xml' }),
    );
    const before = process.memoryUsage().rss;
    expect(await small.fetch(server.url('/bomb.xml'), none)).toMatchObject({
      kind: 'error',
      problem: { code: 'too-large' },
    });
    expect(process.memoryUsage().rss - before).toBeLessThan(48 * 1024 * 1024);
  });

  it('cuts a slow drip at the deadline and closes the socket', async () => {
    const quick = fetcherWith({ timeoutMs: 400 });
    try {
      const slow = drip(RSS('Drip').repeat(5), { intervalMs: 50 });
      let socketClosed = false;
      server.route(
        '/drip.xml',
        handler((req, res, ctx) => {
          req.socket.once('close', () => (socketClosed = true));
          return slow.handler(req, res, ctx);
        }),
      );
      const started = Date.now();
      const result = await quick.fetch(server.url('/drip.xml'), none);
      expect(result).toMatchObject({ kind: 'error', problem: { code: 'timeout' } });
      expect(Date.now() - started).toBeLessThan(1500);
      await expect.poll(() => socketClosed, { timeout: 1000 }).toBe(true);
    } finally {
      await quick.close();
    }
  });
});

describe('politeness', () => {
  it('sends at most maxPerHost requests at a time to one host', async () => {
    let active = 0;
    let peak = 0;
    server.route(
      '/busy-host',
      handler((_req, res) => {
        active++;
        peak = Math.max(peak, active);
        setTimeout(() => {
          active--;
          res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(RSS('Busy'));
        }, 60);
      }),
    );
    const results = await Promise.all(
      Array.from({ length: 7 }, () => fetcher.fetch(server.url('/busy-host'), none)),
    );
    expect(results.every((r) => r.kind === 'ok')).toBe(true);
    expect(peak).toBe(2);
  });
});
