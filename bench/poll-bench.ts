/**
 * Poll benchmark: one full poll cycle of 2,000 feeds served from a local server (in a child process, so its CPU
 * is not counted), through our fetcher + parser, then the same workload through rss-parser's parseURL at the
 * same concurrency. Prints feeds/s, CPU seconds, peak RSS and the throughput ratio.
 *
 *   npm run bench:poll [-- --feeds 2000 --concurrency 32]
 *
 * The per-feed work is `pollOne`; a store step can be plugged in through `PollSink` (the default only counts).
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { lookup as dnsLookup } from 'node:dns';
import Parser from 'rss-parser';
import type { FeedFetcher, FeedParser, FetchResult } from '../src/app/ports.js';
import type { ParsedFeed } from '../src/core/feed-types.js';
import { createFeedParser } from '../src/adapters/feed-parser/feed-parser.js';
import { createFeedFetcher } from '../src/adapters/http/feed-fetcher.js';
import { feed, handler, startFeedServer } from '../test/support/feed-server.js';
import type { Route } from '../test/support/feed-server.js';

type Kind = 'not-modified' | 'small' | 'large' | 'slow' | 'http-500' | 'html';
interface BenchFeed {
  index: number;
  kind: Kind;
  path: string;
  etag: string | null;
}

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length - 1; i += 2)
  args.set(process.argv[i] ?? '', process.argv[i + 1] ?? '');
const FEEDS = Number(args.get('--feeds') ?? 2000);
const CONCURRENCY = Number(args.get('--concurrency') ?? 32);
const HOSTS = 100;

/** 70% unchanged (304), 25% small 200s, 5% ~1 MB 200s, and among them a few slow or broken feeds. */
function workload(n: number): BenchFeed[] {
  return Array.from({ length: n }, (_, index) => {
    const r = index % 100;
    let kind: Kind = r < 70 ? 'not-modified' : r < 95 ? 'small' : 'large';
    if (index % 250 === 71) kind = 'slow';
    if (index % 500 === 72) kind = 'http-500';
    if (index % 500 === 73) kind = 'html';
    return { index, kind, path: `/f/${index}.xml`, etag: kind === 'not-modified' ? `"e${index}"` : null };
  });
}

function rss(items: number, descriptionBytes: number, seed: number): string {
  const text = 'NATO allies discussed support for Ukraine while Seoul weighed arms exports &amp; sanctions. ';
  const desc = text.repeat(Math.ceil(descriptionBytes / text.length)).slice(0, descriptionBytes);
  const entries = Array.from(
    { length: items },
    (_, i) =>
      `<item><title>Story ${seed}-${i}: talks &#8220;resume&#8221;</title><link>https://news.example/${seed}/${i}</link>` +
      `<guid isPermaLink="false">${seed}-${i}</guid><pubDate>Tue, 04 Mar 2025 09:${String(i % 60).padStart(2, '0')}:00 GMT</pubDate>` +
      `<description>&lt;p&gt;${desc}&lt;/p&gt;</description><category>World</category></item>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Bench ${seed}</title><link>https://news.example/</link>${entries.join('')}</channel></rss>`;
}

async function serve(): Promise<void> {
  const small = rss(20, 400, 1);
  const large = rss(400, 2400, 2);
  const routes: Record<string, Route> = {};
  for (const f of workload(FEEDS)) {
    if (f.kind === 'not-modified') routes[f.path] = feed(small, { etag: f.etag ?? undefined });
    else if (f.kind === 'small') routes[f.path] = feed(small);
    else if (f.kind === 'large') routes[f.path] = feed(large);
    else if (f.kind === 'http-500') routes[f.path] = { status: 500, body: 'oops' };
    else if (f.kind === 'html')
      routes[f.path] = feed('<!DOCTYPE html><html><body>moved</body></html>', { contentType: 'text/html' });
    else
      routes[f.path] = handler(
        (_req, res) =>
          void setTimeout(
            () => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(small),
            1500,
          ),
      );
  }
  const server = await startFeedServer(routes);
  process.send?.({ port: server.port });
  process.on('disconnect', () => void server.close().then(() => process.exit(0)));
}

/** Where poll results go; the lead can plug the SQLite store in here. */
export interface PollSink {
  ok(feed: BenchFeed, parsed: ParsedFeed): void | Promise<void>;
  notModified(feed: BenchFeed): void | Promise<void>;
  failed(feed: BenchFeed, code: string): void | Promise<void>;
}

interface Tally {
  ok: number;
  notModified: number;
  items: number;
  errors: Map<string, number>;
  healthyErrors: number;
}

function countingSink(t: Tally): PollSink {
  const fail = (f: BenchFeed, code: string): void => {
    t.errors.set(code, (t.errors.get(code) ?? 0) + 1);
    if (f.kind !== 'http-500' && f.kind !== 'html') t.healthyErrors++;
  };
  return {
    ok: (_f, parsed) => void ((t.ok += 1), (t.items += parsed.items.length)),
    notModified: () => void (t.notModified += 1),
    failed: fail,
  };
}

const hostOf = (f: BenchFeed): string => `h${f.index % HOSTS}.bench.test`;

export async function pollOne(
  f: BenchFeed,
  url: string,
  fetcher: FeedFetcher,
  parser: FeedParser,
  sink: PollSink,
): Promise<void> {
  const res: FetchResult = await fetcher.fetch(url, { etag: f.etag, lastModified: null });
  if (res.kind === 'not-modified') return sink.notModified(f);
  if (res.kind === 'error') return sink.failed(f, res.problem.code);
  const parsed = await parser.parse(res.text, res.finalUrl);
  return parsed.ok ? sink.ok(f, parsed.feed) : sink.failed(f, parsed.problem.code);
}

async function runPool<T>(items: T[], concurrency: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await task(items[next++] as T);
    }),
  );
}

async function measure(
  name: string,
  run: () => Promise<Tally>,
): Promise<{ name: string; seconds: number; cpu: number; peakRss: number; tally: Tally }> {
  global.gc?.();
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 10);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const tally = await run();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  return { name, seconds, cpu: (cpu.user + cpu.system) / 1e6, peakRss, tally };
}

const newTally = (): Tally => ({ ok: 0, notModified: 0, items: 0, errors: new Map(), healthyErrors: 0 });

async function main(): Promise<void> {
  const child: ChildProcess = fork(new URL(import.meta.url), ['--serve', '1', '--feeds', String(FEEDS)], {
    execArgv: process.execArgv,
  });
  const port = await new Promise<number>((resolve) =>
    child.once('message', (m: { port: number }) => resolve(m.port)),
  );
  const feeds = workload(FEEDS);
  const urlOf = (f: BenchFeed): string => `http://${hostOf(f)}:${port}${f.path}`;
  const resolver = async (): Promise<Array<{ address: string; family: number }>> => [
    { address: '127.0.0.1', family: 4 },
  ];

  const ours = await measure('wirewatch fetcher + parser', async () => {
    const t = newTally();
    const sink = countingSink(t);
    const fetcher = createFeedFetcher({ allowedHosts: ['*.bench.test'], lookup: resolver });
    const parser = createFeedParser();
    await runPool(feeds, CONCURRENCY, (f) => pollOne(f, urlOf(f), fetcher, parser, sink));
    await fetcher.close();
    return t;
  });

  // rss-parser as documented: one parser, parseURL per feed. It has no per-feed conditional GET, so every
  // unchanged feed is downloaded and parsed again; the second run gives it If-None-Match through per-feed headers.
  const benchLookup = (_host: string, options: object, cb: (...a: unknown[]) => void): void =>
    dnsLookup('127.0.0.1', options, cb);
  const viaRssParser = (conditional: boolean) => async (): Promise<Tally> => {
    const t = newTally();
    const sink = countingSink(t);
    const shared = new Parser({ requestOptions: { lookup: benchLookup } as object });
    await runPool(feeds, CONCURRENCY, async (f) => {
      const parser =
        conditional && f.etag
          ? new Parser({
              headers: { 'If-None-Match': f.etag },
              requestOptions: { lookup: benchLookup } as object,
            })
          : shared;
      try {
        const out = await parser.parseURL(urlOf(f));
        await sink.ok(f, {
          title: out.title ?? null,
          link: null,
          id: null,
          updated: null,
          published: null,
          ttlMinutes: null,
          items: out.items as never,
        });
      } catch (err) {
        const msg = err instanceof Error ? err.message : String(err);
        if (msg === 'Status code 304') await sink.notModified(f);
        else await sink.failed(f, msg.slice(0, 40));
      }
    });
    return t;
  };
  const theirs = await measure('rss-parser parseURL', viaRssParser(false));
  const theirsConditional = await measure('rss-parser + If-None-Match', viaRssParser(true));

  child.disconnect();
  const mb = (b: number): string => `${(b / 1024 / 1024).toFixed(0)} MB`;
  console.log(`poll bench: ${FEEDS} feeds over ${HOSTS} host names, concurrency ${CONCURRENCY}`);
  for (const r of [ours, theirs, theirsConditional]) {
    const errors = [...r.tally.errors].map(([k, v]) => `${k}×${v}`).join(', ') || 'none';
    console.log(
      `${r.name.padEnd(28)} ${(FEEDS / r.seconds).toFixed(0).padStart(6)} feeds/s  wall ${r.seconds.toFixed(2)} s  CPU ${r.cpu.toFixed(2)} s  ` +
        `peak RSS ${mb(r.peakRss)}  ok ${r.tally.ok}  304 ${r.tally.notModified}  items ${r.tally.items}  errors: ${errors}  ` +
        `healthy-feed errors ${r.tally.healthyErrors}`,
    );
  }
  for (const r of [theirs, theirsConditional]) {
    console.log(
      `throughput ratio ours / ${r.name}: ${(r.seconds / ours.seconds).toFixed(2)}x  (CPU ${(r.cpu / ours.cpu).toFixed(2)}x)`,
    );
  }
}

if (args.has('--serve')) void serve();
else await main();
