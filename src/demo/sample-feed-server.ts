import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { renderSampleFeed, SAMPLE_FEEDS } from './sample-feeds.js';

export interface SampleFeedServer {
  origin: string;
  urls: string[];
  /** Switches every feed to its second edition (new stories appear). */
  publishSecondEdition(): void;
  close(): Promise<void>;
}

/** Serves the demo's sample feeds on 127.0.0.1, with ETags so the second poll of an unchanged feed is a 304. */
export async function startSampleFeedServer(): Promise<SampleFeedServer> {
  let edition: 'first' | 'second' = 'first';
  const server: Server = createServer((req, res) => {
    const feed = SAMPLE_FEEDS.find((f) => f.path === req.url);
    if (!feed) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const etag = `"${edition}"`;
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag }).end();
      return;
    }
    const type = feed.format === 'rss' ? 'application/rss+xml' : 'application/atom+xml';
    res.writeHead(200, { 'content-type': `${type}; charset=utf-8`, etag });
    res.end(renderSampleFeed(feed, edition, origin));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    urls: SAMPLE_FEEDS.map((f) => origin + f.path),
    publishSecondEdition: () => {
      edition = 'second';
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
