import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { WirewatchConfig } from '../config/index.js';
import { startSampleFeedServer } from '../demo/sample-feed-server.js';
import { SAMPLE_FEEDS, SAMPLE_WATCHES } from '../demo/sample-feeds.js';
import { createRuntime, type Runtime } from '../runtime.js';
import { EXIT_FAILURE, EXIT_OK, type CliIo } from './cli-io.js';

/**
 * `wirewatch demo`: the real pipeline, fully offline. Serves sample feeds on 127.0.0.1, polls them once (which
 * records what is there without alerting), publishes new stories, polls again and prints the alerts.
 */
export async function demoCommand(io: CliIo): Promise<number> {
  const server = await startSampleFeedServer();
  const dataDir = mkdtempSync(join(tmpdir(), 'wirewatch-demo-'));
  let clockOffsetMs = 0;
  const clock = { now: () => new Date(Date.now() + clockOffsetMs) };
  const runtime = createRuntime(demoConfig(dataDir, server.urls), {
    write: io.stdout,
    prettyLogs: false,
    clock,
    // Warnings (a sample feed that failed) go to stderr; the alerts are the demo's output.
    logDestination: new Writable({
      write(chunk: Buffer, _encoding, done) {
        io.stderr(chunk.toString());
        done();
      },
    }),
  });
  try {
    io.stdout(`wirewatch demo — sample feeds served at ${server.origin}\n`);
    io.stdout(`watches: ${SAMPLE_WATCHES.map((w) => `${w.name} = ${w.query}`).join(' | ')}\n\n`);
    runtime.app.watches.load(runtime.store.listWatches());
    const first = await runtime.app.tick();
    io.stdout(
      `poll 1: ${first.ok} feeds read, ${first.newItems} stories recorded, ${first.alerts} alerts (a new feed never floods)\n`,
    );
    server.publishSecondEdition();
    // Jump past every feed's interval instead of waiting five minutes.
    clockOffsetMs = 2 * 3600_000;
    io.stdout('new stories published; polling again…\n\n');
    const secondPollAt = clock.now();
    const second = await runtime.app.tick();
    io.stdout(`poll 2: ${second.ok} feeds read, ${second.newItems} new stories, ${second.alerts} alerts\n`);
    printQuietStories(runtime, io, secondPollAt);
    if (second.errors > 0 || first.errors > 0) {
      io.stderr('demo: some sample feeds could not be polled (see above)\n');
      return EXIT_FAILURE;
    }
    return EXIT_OK;
  } finally {
    await runtime.close();
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Lists the new stories no watch fired on, with the watch engine's own verdict, so the demo shows what it skipped. */
function printQuietStories(runtime: Runtime, io: CliIo, polledAt: Date): void {
  const now = polledAt;
  const everything = new Date(0);
  const fresh = runtime.store.recentItems(everything).filter((item) => item.firstSeenAt >= polledAt);
  const quiet = fresh.filter((item) => {
    const feed = runtime.store.getFeed(item.feedId);
    const scopes = new Set(runtime.store.subscriptionsOf(item.feedId).map((s) => s.scope));
    const input = { ...item, feedTitle: feed?.title ?? '' };
    return runtime.app.watches.match(input, { id: item.feedId, scopes }, now).length === 0;
  });
  io.stdout(`\nstories no watch fired on (${quiet.length}):\n`);
  for (const item of quiet) io.stdout(`  - ${item.title}\n`);
  const skipped = SAMPLE_WATCHES.filter((w) => !w.firesOnSeedStory).map((w) => `${w.name} (${w.query})`);
  if (skipped.length)
    io.stdout(`not fired on the NATO story by design: ${skipped.join(', ')}: it also mentions North Korea\n`);
}

function demoConfig(dataDir: string, urls: string[]): WirewatchConfig {
  const feeds = SAMPLE_FEEDS.map((f, i) => ({
    name: f.path.split('/')[1] ?? `feed-${i}`,
    url: urls[i] ?? '',
    intervalSec: 300,
    intervalExplicit: true,
  }));
  return {
    dataDir,
    databasePath: join(dataDir, 'wirewatch.db'),
    logLevel: 'warn',
    poll: {
      schedule: '* * * * *',
      concurrency: 4,
      defaultIntervalSec: 300,
      jitter: 0,
      minIntervalSec: 60,
      maxIntervalSec: 3600,
      failureThreshold: 10,
    },
    fetch: {
      timeoutSec: 10,
      maxBodyBytes: 1024 * 1024,
      maxRedirects: 5,
      maxPerHost: 2,
      allowPrivateNetworks: false,
      // The demo's own server, and nothing else on this machine.
      allowedHosts: ['127.0.0.1'],
      trustConfigFeeds: false,
    },
    discord: {
      token: null,
      apiBase: null,
      enabled: false,
      limits: { feedsPerServer: 100, watchesPerServer: 200 },
      digestThreshold: 5,
    },
    health: { port: 0, host: '127.0.0.1' },
    destinations: [{ name: 'console', type: 'console' }],
    feeds,
    watches: SAMPLE_WATCHES.map((w) => ({
      name: w.name,
      query: w.query,
      feeds: feeds.map((f) => f.name),
      destinations: ['console'],
    })),
  };
}
