/**
 * The other side of the poll benchmark, run in a process of its own: rss-parser's parseURL, and the floor.
 */
import { lookup as dnsLookup } from 'node:dns';
import Parser from 'rss-parser';
import { Agent, request } from 'undici';
import type { Tally } from './poll-bench-measure.js';
import { failed, newTally } from './poll-bench-measure.js';
import type { BenchFeed } from './poll-bench-server.js';
import { fixedEtag } from './poll-bench-server.js';

/** rss-parser as documented: one parser, parseURL per feed. It has no store: the items of every 200 are counted. It
 * has no per-feed conditional GET either; the conditional run gives it If-None-Match through per-feed headers. */
export function viaRssParser(
  feeds: readonly BenchFeed[],
  urlOf: (f: BenchFeed) => string,
  concurrency: number,
  conditional: boolean,
): () => Promise<Tally> {
  const lookup = (_host: string, options: object, cb: (...a: unknown[]) => void): void =>
    dnsLookup('127.0.0.1', options, cb);
  return async (): Promise<Tally> => {
    const t = newTally(feeds.length);
    const shared = new Parser({ requestOptions: { lookup } as object });
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let f = feeds[next++]; f; f = feeds[next++]) {
        const etag = fixedEtag(f);
        const parser =
          conditional && etag
            ? new Parser({ headers: { 'If-None-Match': etag }, requestOptions: { lookup } as object })
            : shared;
        try {
          const out = await parser.parseURL(urlOf(f));
          t.items += out.items.length;
          t.ok++;
        } catch (err) {
          const msg = err instanceof Error ? err.message : String(err);
          if (msg === 'Status code 304') t.notModified++;
          else failed(t, f, msg.slice(0, 40));
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return t;
  };
}

/**
 * The floor of the poll benchmark: the same cycle downloaded and nothing else (no parse, no store, no matching),
 * with conditional GET where a feed has a fixed ETag, 2 connections per host as our fetcher keeps, at the same
 * concurrency, and in the best order (the slow feeds first, as a tick learns to start them). A poller that must
 * read these bodies under the same limits cannot finish the cycle sooner, so rss-parser's time over this one
 * bounds the throughput ratio the workload allows.
 */
export function downloadOnly(
  feeds: readonly BenchFeed[],
  urlOf: (f: BenchFeed) => string,
  concurrency: number,
): () => Promise<Tally> {
  const order = [...feeds.filter((f) => f.kind === 'slow'), ...feeds.filter((f) => f.kind !== 'slow')];
  return async () => {
    const t = newTally(feeds.length);
    const agent = new Agent({
      connections: 2,
      connect: { lookup: (_h, _o, cb) => cb(null, [{ address: '127.0.0.1', family: 4 }]) },
    });
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let f = order[next++]; f; f = order[next++]) {
        const etag = fixedEtag(f);
        const res = await request(urlOf(f), {
          dispatcher: agent,
          headers: etag ? { 'if-none-match': etag } : {},
        });
        // Held whole, as any poller must hold a body before parsing it.
        await res.body.arrayBuffer();
        if (res.statusCode === 304) t.notModified++;
        else t.ok++;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    await agent.close();
    return t;
  };
}
