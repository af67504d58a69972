/**
 * Poll benchmark (a script, not a test): `npm run bench:poll [-- --feeds 2000 --concurrency 32]`.
 *
 * 2,000 feeds served from a child process (bench/poll-bench-server.ts, so its CPU is not counted): 70% answer 304
 * to their ETag, 25% small and 5% ~1 MB feeds gain 2 new items per generation, a few are slow or broken.
 *
 * Ours is the app's poll use case, `pollDueFeeds`, with the deps src/app.ts gives it: the real fetcher (all traffic
 * on 127.0.0.1 through an injected resolver), parser, SQLite store (a temp file), a watch registry of a few hundred
 * watches, story grouping, and the config defaults for timing and fetch limits. Feeds and watches are declared
 * through syncConfig, as the config file's are. A first poll primes every feed (ETags, the items already there);
 * then the server moves on one generation and the clock two hours, and the measured cycle polls every feed again.
 * Delivery, the other half of the app's tick, is not part of it: the cycle ends with the alerts in the outbox.
 * rss-parser's parseURL then gets the same cycle (one generation later) at the same concurrency, plain and with
 * If-None-Match, in a process of its own so that each side's peak RSS is its own.
 *
 * Diagnostics: `--stories off` polls without story grouping; BENCH_PROFILE=file.cpuprofile profiles the measured
 * cycle of ours.
 */
import { fork } from 'node:child_process';
import { lookup as dnsLookup } from 'node:dns';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Parser from 'rss-parser';
import { createFeedParser } from '../src/adapters/feed-parser/feed-parser.js';
import { createFeedFetcher } from '../src/adapters/http/feed-fetcher.js';
import { openStore } from '../src/adapters/sqlite/sqlite-store.js';
import { pollDueFeeds } from '../src/app/poll-due-feeds.js';
import type { PollFeedDeps } from '../src/app/poll-feed.js';
import { StoryGrouping } from '../src/app/story-grouping.js';
import { WatchRegistry } from '../src/app/watch-registry.js';
import { configFileSchema } from '../src/config/config-schema.js';
import { USER_AGENT } from '../src/version.js';
import { failed, measure, newTally, reply, type Phase, type Tally } from './poll-bench-measure.js';
import { CYCLE_MS, HOSTS, T0, fixedEtag, hostOf, watchQueries, workload } from './poll-bench-server.js';
import { rng } from './seeded-random.js';
import type { BenchFeed } from './poll-bench-server.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length - 1; i += 2)
  args.set(process.argv[i] ?? '', process.argv[i + 1] ?? '');
const FEEDS = Number(args.get('--feeds') ?? 2000);
const CONCURRENCY = Number(args.get('--concurrency') ?? 32);
const WATCHES = 300;
const defaults = configFileSchema.parse({});
const feeds = workload(FEEDS);

const urlOf = (port: number, f: BenchFeed): string => `http://${hostOf(f)}:${port}${f.path}`;

/** Our two cycles: the first poll (priming), then, one generation later, the measured one. */
async function runOurs(port: number, advance: () => Promise<unknown>) {
  const byUrl = new Map(feeds.map((f) => [urlOf(port, f), f]));
  const dir = mkdtempSync(join(tmpdir(), 'wirewatch-poll-bench-'));
  const store = openStore(join(dir, 'bench.db'));
  store.syncConfig({
    now: new Date(T0),
    feeds: feeds.map((f) => ({
      name: `feed ${f.index}`,
      url: urlOf(port, f),
      intervalSec: defaults.poll.defaultInterval,
      intervalExplicit: false,
    })),
    destinations: [{ name: 'bench', kind: 'console', target: '' }],
    watches: watchQueries(WATCHES).map((query, i) => ({
      name: `watch ${i}`,
      query,
      feeds: null,
      destinations: null,
    })),
  });
  const watches = new WatchRegistry();
  const broken = watches.load(store.listWatches()).length;
  const { poll, fetch, stories } = defaults;
  const fetcher = createFeedFetcher({
    timeoutMs: fetch.timeout * 1000,
    maxBodyBytes: fetch.maxBodySize,
    maxRedirects: fetch.maxRedirects,
    maxPerHost: fetch.maxPerHost,
    userAgent: USER_AGENT,
    allowPrivateNetworks: false,
    allowedHosts: ['*.bench.test'],
    lookup: async () => [{ address: '127.0.0.1', family: 4 }],
  });
  let nowMs = T0;
  let tally = newTally(FEEDS);
  const problems = new Map<string, string>();
  const deps: PollFeedDeps = {
    store,
    fetcher,
    parser: createFeedParser(),
    watches,
    clock: { now: () => new Date(nowMs) },
    log: {
      debug: () => {},
      info: () => {},
      warn: (obj, msg) => void problems.set(`${(obj as { code?: string }).code}`, msg ?? ''),
      error: (obj, msg) => void problems.set('internal', `${msg} ${String((obj as { err?: unknown }).err)}`),
    },
    timing: {
      defaultIntervalSec: poll.defaultInterval,
      minIntervalSec: poll.minInterval,
      maxIntervalSec: poll.maxInterval,
      jitter: poll.jitter,
    },
    random: rng(7),
    failureThreshold: poll.failureThreshold,
    moveAfter: 3,
    events: {
      feedPolled: (e) => {
        const f = byUrl.get(e.feed.url);
        if (e.status === 'ok') tally.ok++;
        else if (e.status === 'not-modified') tally.notModified++;
        else failed(tally, f, e.code ?? 'unknown');
        const kind = f?.kind ?? 'small';
        const k = tally.wallMs.get(kind) ?? { n: 0, ms: 0 };
        tally.wallMs.set(kind, { n: k.n + 1, ms: k.ms + e.durationMs });
      },
    },
    stories:
      args.get('--stories') === 'off'
        ? undefined
        : new StoryGrouping(store, {
            windowMs: stories.window * 1000,
            threshold: stories.threshold,
            followUps: stories.followUps,
          }),
  };
  const cycle = (generation: number) => async (): Promise<Tally> => {
    tally = newTally(FEEDS);
    nowMs = T0 + generation * CYCLE_MS;
    const summary = await pollDueFeeds(deps, { concurrency: CONCURRENCY });
    Object.assign(tally, { due: summary.feeds, items: summary.newItems, alerts: summary.alerts });
    // A poll that threw is counted by pollDueFeeds and logged, but emits no feedPolled event.
    const counted = [...tally.errors.values()].reduce((a, b) => a + b, 0);
    for (let i = counted; i < summary.errors; i++) failed(tally, undefined, 'internal');
    return tally;
  };
  const first = await measure('wirewatch, first poll', cycle(0));
  await advance();
  const profile = process.env.BENCH_PROFILE ? new Session() : null;
  profile?.connect();
  await profile?.post('Profiler.enable');
  await profile?.post('Profiler.start');
  const measured = await measure('wirewatch, measured cycle', cycle(1));
  if (profile)
    writeFileSync(
      process.env.BENCH_PROFILE ?? '',
      JSON.stringify((await profile.post('Profiler.stop')).profile),
    );
  const outbox = store.outboxDepth();
  await fetcher.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
  const setup = `${watches.size} watches (${broken} skipped), story grouping ${deps.stories ? 'on' : 'OFF'}`;
  return { first, measured, outbox, problems, setup };
}

/** rss-parser as documented: one parser, parseURL per feed. It has no store: the items of every 200 are counted. It
 * has no per-feed conditional GET either; the conditional run gives it If-None-Match through per-feed headers. */
function viaRssParser(port: number, conditional: boolean) {
  const lookup = (_host: string, options: object, cb: (...a: unknown[]) => void): void =>
    dnsLookup('127.0.0.1', options, cb);
  return async (): Promise<Tally> => {
    const t = newTally(FEEDS);
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
          const out = await parser.parseURL(urlOf(port, f));
          t.items += out.items.length;
          t.ok++;
        } catch (err) {
          const msg = err instanceof Error ? err.message : String(err);
          if (msg === 'Status code 304') t.notModified++;
          else failed(t, f, msg.slice(0, 40));
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    return t;
  };
}

/** The rss-parser side runs in its own process: told 'plain' or 'conditional', it answers with the phase. */
function serveTheirs(port: number): void {
  process.on('message', (m: string) => {
    const name = m === 'plain' ? 'rss-parser parseURL' : 'rss-parser + If-None-Match';
    void measure(name, viaRssParser(port, m !== 'plain')).then((phase) => process.send?.({ phase }));
  });
  process.on('disconnect', () => process.exit(0));
  process.send?.({ ready: true });
}

async function main(): Promise<void> {
  const server = fork(new URL('./poll-bench-server.ts', import.meta.url), ['--bench-server', String(FEEDS)], {
    execArgv: process.execArgv,
  });
  const port = await reply<number>(server, 'port');
  const advance = async (): Promise<number> => {
    const generation = reply<number>(server, 'generation');
    server.send('advance');
    return generation;
  };
  const theirsArgs = [
    '--theirs',
    String(port),
    '--feeds',
    String(FEEDS),
    '--concurrency',
    String(CONCURRENCY),
  ];
  const theirsProcess = fork(new URL(import.meta.url), theirsArgs, {
    execArgv: process.execArgv,
    serialization: 'advanced',
  });
  await reply(theirsProcess, 'ready');
  const ours = await runOurs(port, advance);
  const theirs: Phase[] = [];
  for (const variant of ['plain', 'conditional']) {
    await advance();
    const phase = reply<Phase>(theirsProcess, 'phase');
    theirsProcess.send(variant);
    theirs.push(await phase);
  }
  theirsProcess.disconnect();
  server.disconnect();

  const mb = (b: number): string => `${(b / 1024 / 1024).toFixed(0)} MB`;
  console.log(
    `poll bench: ${FEEDS} feeds over ${HOSTS} host names, concurrency ${CONCURRENCY}; ${ours.setup}`,
  );
  for (const r of [ours.first, ours.measured, ...theirs]) {
    const t = r.tally;
    const errors = [...t.errors].map(([k, v]) => `${k}×${v}`).join(', ') || 'none';
    const what =
      t.alerts === null
        ? `items parsed ${t.items} (no store: all items of each 200)`
        : `new items ${t.items}  alerts written ${t.alerts}`;
    console.log(
      `${r.name.padEnd(27)} ${(t.due / r.seconds).toFixed(0).padStart(5)} feeds/s  wall ${r.seconds.toFixed(2)} s  ` +
        `CPU ${r.cpu.toFixed(2)} s  peak RSS ${mb(r.peakRss)} (heap ${mb(r.peakHeap)}, live at start ` +
        `${mb(r.liveHeapAtStart)}; at the end: RSS ${mb(r.endMemory.rss)}, heap ${mb(r.endMemory.heapTotal)}, ` +
        `external ${mb(r.endMemory.external)})  longest event-loop stall ${r.maxLoopDelayMs.toFixed(0)} ms`,
    );
    console.log(
      `${''.padEnd(28)}polled ${t.due}  ok ${t.ok}  304 ${t.notModified}  errors: ${errors}  ` +
        `healthy-feed errors ${t.healthyErrors}  ${what}`,
    );
  }
  const perKind = [...ours.measured.tally.wallMs].map(([k, v]) => `${k} ${(v.ms / v.n).toFixed(0)} ms`);
  console.log(
    `measured cycle, mean wall time of a poll: ${perKind.join(', ')}; outbox after it: ${ours.outbox}`,
  );
  for (const [code, msg] of ours.problems) console.log(`  ${code}: ${msg.slice(0, 160)}`);

  const check = (ok: boolean): string => (ok ? 'ok' : 'MISSED');
  const rate = (r: Phase): number => r.tally.due / r.seconds;
  console.log('');
  for (const r of theirs) {
    const ratio = rate(ours.measured) / rate(r);
    const target = r === theirs[0] ? `target >= 3x: ${check(ratio >= 3)}` : 'for information';
    const cpu = r.cpu / ours.measured.cpu;
    console.log(
      `throughput ours / ${r.name}: ${ratio.toFixed(2)}x  (${target}; its CPU / ours ${cpu.toFixed(2)}x)`,
    );
  }
  for (const r of [ours.measured, ours.first]) {
    console.log(
      `peak RSS, ${r.name}: ${mb(r.peakRss)}  (target < 250 MB: ${check(r.peakRss < 250 * 2 ** 20)})`,
    );
  }
  const healthyErrors = ours.first.tally.healthyErrors + ours.measured.tally.healthyErrors;
  console.log(
    `healthy-feed errors, both cycles of ours: ${healthyErrors}  (target 0: ${check(healthyErrors === 0)})`,
  );
  const allDue = ours.first.tally.due === FEEDS && ours.measured.tally.due === FEEDS;
  console.log(`every feed polled in each cycle of ours: ${allDue ? 'yes' : 'NO'}`);
}

if (args.has('--theirs')) serveTheirs(Number(args.get('--theirs')));
else await main();
