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
 * If-None-Match, in a process of its own so that each side's peak RSS is its own; then, in that process too, the
 * cycle only downloaded (both in bench/poll-bench-theirs.ts): the ceiling of the throughput ratio.
 *
 * The script compiles the benchmark with tsc and runs it with plain node, as the bot runs from dist/: under tsx, the
 * loader's own thread (a second V8 isolate) adds ~35 MB to every process's RSS, which the bot does not pay.
 *
 * Diagnostics: `--stories off` polls without story grouping; BENCH_PROFILE=file.cpuprofile profiles the measured
 * cycle of ours.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFeedParser } from '../src/adapters/feed-parser/feed-parser.js';
import { createFeedFetcher } from '../src/adapters/http/feed-fetcher.js';
import { openStore } from '../src/adapters/sqlite/sqlite-store.js';
import { pollDueFeeds } from '../src/app/poll-due-feeds.js';
import type { PollFeedDeps } from '../src/app/poll-feed.js';
import { PollOrder } from '../src/app/poll-order.js';
import { StoryGrouping } from '../src/app/story-grouping.js';
import { WatchRegistry } from '../src/app/watch-registry.js';
import { configFileSchema } from '../src/config/config-schema.js';
import { USER_AGENT } from '../src/version.js';
import {
  failed,
  measure,
  mb,
  newTally,
  printPhase,
  reply,
  type Phase,
  type Tally,
} from './poll-bench-measure.js';
import { CYCLE_MS, HOSTS, T0, hostOf, watchQueries, workload } from './poll-bench-server.js';
import { downloadOnly, viaRssParser } from './poll-bench-theirs.js';
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
const FLOOR = 'download only (floor)';

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
    pollOrder: new PollOrder(),
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

/** The rss-parser side (and the download-only floor) runs in its own process: told 'plain', 'conditional' or
 * 'floor', it answers with the phase. */
function serveTheirs(port: number): void {
  process.on('message', (m: string) => {
    const phase =
      m === 'floor'
        ? measure(
            FLOOR,
            downloadOnly(feeds, (f) => urlOf(port, f), CONCURRENCY),
          )
        : measure(
            m === 'plain' ? 'rss-parser parseURL' : 'rss-parser + If-None-Match',
            viaRssParser(feeds, (f) => urlOf(port, f), CONCURRENCY, m !== 'plain'),
          );
    void phase.then((p) => process.send?.({ phase: p }));
  });
  process.on('disconnect', () => process.exit(0));
  process.send?.({ ready: true });
}

async function main(): Promise<void> {
  // Beside this file, with its extension: `npm run bench:poll` runs the compiled benchmark (see the header).
  const serverEntry = new URL(`./poll-bench-server.${import.meta.url.slice(-2)}`, import.meta.url);
  const server = fork(serverEntry, ['--bench-server', String(FEEDS)], {
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
  for (const variant of ['plain', 'conditional', 'floor']) {
    await advance();
    const phase = reply<Phase>(theirsProcess, 'phase');
    theirsProcess.send(variant);
    theirs.push(await phase);
  }
  theirsProcess.disconnect();
  server.disconnect();

  console.log(
    `poll bench: ${FEEDS} feeds over ${HOSTS} host names, concurrency ${CONCURRENCY}; ${ours.setup}`,
  );
  for (const r of [ours.first, ours.measured, ...theirs]) {
    const t = r.tally;
    printPhase(
      r,
      r.name === FLOOR
        ? 'bodies downloaded, nothing parsed or stored'
        : t.alerts === null
          ? `items parsed ${t.items} (no store: all items of each 200)`
          : `new items ${t.items}  alerts written ${t.alerts}`,
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
  const [plain, , floor] = theirs as [Phase, Phase, Phase];
  for (const r of theirs) {
    const ratio = rate(ours.measured) / rate(r);
    const target = r === plain ? `target >= 3x: ${check(ratio >= 3)}` : 'for information';
    const cpu = r.cpu / ours.measured.cpu;
    console.log(
      `throughput ours / ${r.name}: ${ratio.toFixed(2)}x  (${target}; its CPU / ours ${cpu.toFixed(2)}x)`,
    );
  }
  console.log(
    `ceiling: download-only / rss-parser parseURL: ${(rate(floor) / rate(plain)).toFixed(2)}x  (the bound for a poller ` +
      'that reads these bodies under the same limits)',
  );
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
