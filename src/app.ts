import { deliverAlerts, type DeliveryDeps, type DeliverySummary } from './app/deliver-alerts.js';
import { pollDueFeeds, type TickSummary } from './app/poll-due-feeds.js';
import type { PollFeedDeps } from './app/poll-feed.js';
import { PollOrder } from './app/poll-order.js';
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
import { StoryGrouping, type StoryGroupingOptions } from './app/story-grouping.js';
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
  /** Story grouping (one story, one alert); absent or null: off. */
  stories?: StoryGroupingOptions | null;
  /** Per-destination quiet hours and rate cap. */
  policy?: DeliveryDeps['policy'];
}

export interface App {
  start(): Promise<void>;
  /**
   * Stops the tick and waits for the alert being sent; the rest stay in the outbox. Polls in flight may finish until
   * the deadline; after it, stop returns anyway (their items were not recorded, so the next start polls them again).
   */
  stop(deadlineMs?: number): Promise<void>;
  /** One poll tick followed by delivery (for `demo`, tests, and the scheduler). */
  tick(): Promise<TickSummary>;
  deliver(): Promise<DeliverySummary>;
  readonly watches: WatchRegistry;
}

/**
 * Delivered and failed alerts are kept this long (for `wirewatch status`, story edits and debugging), then deleted
 * so the outbox does not grow for ever; an item is still never alerted twice, as seen items outlive them.
 */
export const OUTBOX_RETENTION_MS = 30 * 24 * 3600_000;
const OUTBOX_PRUNE_EVERY_MS = 3600_000;

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
    stories: deps.stories ? new StoryGrouping(deps.store, deps.stories) : undefined,
    pollOrder: new PollOrder(),
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
      policy: deps.policy,
      shouldStop: () => stopped,
    }).finally(() => {
      delivering = null;
    });
    return delivering;
  };

  let lastOutboxPrune = 0;
  const tick = async (): Promise<TickSummary> => {
    const summary = await pollDueFeeds(pollDeps, { concurrency: deps.settings.concurrency });
    const now = clock.now().getTime();
    if (now - lastOutboxPrune >= OUTBOX_PRUNE_EVERY_MS) {
      lastOutboxPrune = now;
      deps.store.pruneOutbox(new Date(now - OUTBOX_RETENTION_MS));
    }
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
    async stop(deadlineMs = 8_000) {
      stopped = true;
      if (deliveryTimer) clearInterval(deliveryTimer);
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<'late'>(
        (resolve) => (timer = setTimeout(() => resolve('late'), deadlineMs)),
      );
      const settled = await Promise.race([
        Promise.all([scheduler?.stop(), delivering]).then(() => 'done' as const),
        deadline,
      ]);
      clearTimeout(timer);
      if (settled === 'late')
        deps.log.warn({ deadlineMs }, 'shutdown deadline reached: polls still in flight were cut off');
    },
  };
}
