import { deliverAlerts, type DeliveryDeps, type DeliverySummary } from './app/deliver-alerts.js';
import { pollDueFeeds, type TickSummary } from './app/poll-due-feeds.js';
import type { PollFeedDeps } from './app/poll-feed.js';
import type {
  AlertSender,
  Clock,
  DestinationKind,
  FeedFetcher,
  FeedParser,
  Log,
  PipelineEvents,
  Store,
} from './app/ports.js';
import { WatchRegistry } from './app/watch-registry.js';
import type { PollTiming } from './core/poll-schedule.js';
import { createTickScheduler, type TickScheduler } from './adapters/tick-scheduler.js';

export interface AppSettings {
  /** Cron expression of the poll tick. */
  schedule: string;
  concurrency: number;
  timing: PollTiming;
  failureThreshold: number;
  moveAfter: number;
  /** How often the outbox is checked for alerts to retry, besides right after each tick. */
  deliveryIntervalMs: number;
}

export interface AppDeps {
  store: Store;
  fetcher: FeedFetcher;
  trustedFetcher?: FeedFetcher;
  parser: FeedParser;
  senders: ReadonlyMap<DestinationKind, AlertSender>;
  log: Log;
  settings: AppSettings;
  clock?: Clock;
  random?: () => number;
  onFeedHealth?: PollFeedDeps['onFeedHealth'];
  events?: PipelineEvents;
  /** Per-destination digest threshold (the Discord bot's server settings); absent: no digests. */
  digestThreshold?: DeliveryDeps['digestThreshold'];
}

export interface App {
  start(): Promise<void>;
  /** Stops the tick, waits for polls and the alert being sent, and leaves the rest in the outbox. */
  stop(): Promise<void>;
  /** One poll tick followed by delivery (for `demo`, tests, and the scheduler). */
  tick(): Promise<TickSummary>;
  deliver(): Promise<DeliverySummary>;
  readonly watches: WatchRegistry;
}

/** Wires the use cases together. Reads no environment and no files: everything comes in through `deps`. */
export function createApp(deps: AppDeps): App {
  const clock = deps.clock ?? { now: () => new Date() };
  const watches = new WatchRegistry();
  const pollDeps: PollFeedDeps = {
    store: deps.store,
    fetcher: deps.fetcher,
    trustedFetcher: deps.trustedFetcher,
    parser: deps.parser,
    watches,
    clock,
    log: deps.log,
    timing: deps.settings.timing,
    random: deps.random ?? Math.random,
    failureThreshold: deps.settings.failureThreshold,
    moveAfter: deps.settings.moveAfter,
    onFeedHealth: deps.onFeedHealth,
    events: deps.events,
  };
  let scheduler: TickScheduler | null = null;
  let deliveryTimer: NodeJS.Timeout | null = null;
  let delivering: Promise<DeliverySummary> | null = null;
  let stopped = false;

  const deliver = (): Promise<DeliverySummary> => {
    // One delivery pass at a time, so an alert is never picked up by two passes at once.
    delivering ??= deliverAlerts({
      store: deps.store,
      senders: deps.senders,
      clock,
      log: deps.log,
      events: deps.events,
      digestThreshold: deps.digestThreshold,
    }).finally(() => {
      delivering = null;
    });
    return delivering;
  };

  const tick = async (): Promise<TickSummary> => {
    const summary = await pollDueFeeds(pollDeps, { concurrency: deps.settings.concurrency });
    const outboxDepth = deps.store.outboxDepth();
    deps.log.info({ ...summary, outbox: outboxDepth }, 'poll tick');
    deps.events?.tickFinished?.({
      feeds: summary.feeds,
      errors: summary.errors,
      durationMs: summary.durationMs,
      at: clock.now(),
      outboxDepth,
    });
    if (!stopped) await deliver();
    return summary;
  };

  return {
    watches,
    tick,
    deliver,
    async start() {
      for (const { watch, error } of watches.load(deps.store.listWatches())) {
        deps.log.warn(
          { watch: watch.name, scope: watch.scope },
          `watch skipped: its query no longer compiles: ${error}`,
        );
      }
      scheduler = createTickScheduler(
        deps.settings.schedule,
        async () => void (await tick()),
        (err) => deps.log.error({ err }, 'poll tick failed'),
      );
      scheduler.start();
      deliveryTimer = setInterval(() => {
        deliver().catch((err: unknown) => deps.log.error({ err }, 'alert delivery failed'));
      }, deps.settings.deliveryIntervalMs);
      // Poll straight away rather than waiting up to a minute for the first cron tick.
      void scheduler.runNow();
    },
    async stop() {
      stopped = true;
      if (deliveryTimer) clearInterval(deliveryTimer);
      await scheduler?.stop();
      await delivering;
    },
  };
}
