import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createFeedFetcher } from '../../../src/adapters/http/feed-fetcher.js';

const RSS = '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>';

describe('a kept-alive connection the server has closed', () => {
  let server: Server;
  afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('is retried once on a new connection, and a server that always drops is an error', async () => {
    // The server answers the first request of each connection and drops the connection on the second one, as a
    // server does whose idle timeout fires just as the client reuses the connection.
    const served = new WeakMap<Socket, number>();
    let dropped = 0;
    let alwaysDrop = false;
    server = createServer((req, res) => {
      const n = (served.get(req.socket) ?? 0) + 1;
      served.set(req.socket, n);
      if (n > 1 || alwaysDrop) {
        dropped++;
        req.socket.destroy();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/rss+xml', connection: 'keep-alive' }).end(RSS);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed.xml`;
    const fetcher = createFeedFetcher({ allowedHosts: ['127.0.0.1'], timeoutMs: 3000, maxPerHost: 1 });
    const none = { etag: null, lastModified: null };

    expect((await fetcher.fetch(url, none)).kind).toBe('ok');
    // Reuses the connection, which the server drops: sent again on a new one.
    expect((await fetcher.fetch(url, none)).kind).toBe('ok');
    expect(dropped).toBe(1);

    alwaysDrop = true;
    const failed = await fetcher.fetch(url, none);
    expect(failed.kind).toBe('error');
    // Once more, not for ever: the reused connection, then one new one.
    expect(dropped).toBe(3);
    await fetcher.close();
  });
});
