import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { PipelineEvents } from '../app/ports.js';

export interface MetricsOptions {
  /** Read at scrape time, so the gauge also follows deliveries between ticks. Must not throw when the store is
   * closed (the last known value is kept then). */
  outboxDepth?: () => number;
  /** Process metrics (CPU, memory, event loop lag, GC...). On by default; tests may turn them off. */
  defaultMetrics?: boolean;
}

export interface Metrics {
  /** A registry of its own (not prom-client's global one), so several instances can live in one process. */
  readonly registry: Registry;
  /** What the pipeline reports; pass it as `events` to createApp. */
  readonly events: PipelineEvents;
  /** When the last poll tick finished, for readiness. */
  lastTickAt(): Date | null;
  /** The Prometheus text exposition of every metric. */
  render(): Promise<string>;
  readonly contentType: string;
}

// Seconds. A feed fetch is bounded by fetch.timeout (20 s by default), with parsing and matching on top.
const POLL_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60];
// Seconds from an item's published time to the destination accepting the alert: a feed's own delay, the poll
// interval and delivery retries all add up, so the range runs from seconds to a day.
const LATENCY_BUCKETS = [5, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 86400];

/**
 * Prometheus metrics fed by the pipeline's events. Feeds are labelled by their numeric id, never by URL: a feed
 * URL may carry a token. Destinations are labelled by kind only, since webhook URLs are secrets and names are
 * free text.
 */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const ticks = new Counter({
    name: 'wirewatch_poll_ticks_total',
    help: 'Poll ticks finished.',
    registers,
  });
  const tickDuration = new Histogram({
    name: 'wirewatch_poll_tick_duration_seconds',
    help: 'Duration of a whole poll tick (every due feed).',
    buckets: POLL_BUCKETS,
    registers,
  });
  const lastTick = new Gauge({
    name: 'wirewatch_last_poll_tick_timestamp_seconds',
    help: 'Unix time at which the last poll tick finished.',
    registers,
  });
  const feedPolls = new Counter({
    name: 'wirewatch_feed_polls_total',
    help: 'Feed polls by result: ok, not-modified, or the error code (dns, timeout, http-4xx, not-a-feed...).',
    labelNames: ['result'] as const,
    registers,
  });
  const pollDuration = new Histogram({
    name: 'wirewatch_feed_poll_duration_seconds',
    help: 'Duration of one feed poll: fetch, parse, match and record.',
    buckets: POLL_BUCKETS,
    registers,
  });
  const newItems = new Counter({
    name: 'wirewatch_new_items_total',
    help: 'Items seen for the first time.',
    registers,
  });
  const alertsQueued = new Counter({
    name: 'wirewatch_alerts_queued_total',
    help: 'Alerts written to the outbox (one per matching watch and destination).',
    registers,
  });
  const lastSuccess = new Gauge({
    name: 'wirewatch_feed_last_success_timestamp_seconds',
    help: 'Unix time of the last successful poll of a feed (200 or 304), by feed id.',
    labelNames: ['feed_id'] as const,
    registers,
  });
  const deliveries = new Counter({
    name: 'wirewatch_alert_deliveries_total',
    help: 'Alert delivery attempts by destination kind and outcome (delivered, retrying, failed).',
    labelNames: ['destination_kind', 'outcome'] as const,
    registers,
  });
  const latency = new Histogram({
    name: 'wirewatch_alert_delivery_latency_seconds',
    help: "Time from an item's published time to its alert being accepted by the destination.",
    labelNames: ['destination_kind'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const readOutboxDepth = options.outboxDepth;
  const outbox = new Gauge({
    name: 'wirewatch_outbox_depth',
    help: 'Alerts waiting in the outbox to be delivered.',
    registers,
    collect() {
      if (!readOutboxDepth) return;
      try {
        this.set(readOutboxDepth());
      } catch {
        // The store is closing: keep the last value rather than fail the scrape.
      }
    },
  });

  let lastTickAt: Date | null = null;
  const seconds = (date: Date): number => date.getTime() / 1000;

  const events: PipelineEvents = {
    feedPolled(event) {
      feedPolls.inc({ result: event.status === 'error' ? (event.code ?? 'internal') : event.status });
      pollDuration.observe(event.durationMs / 1000);
      if (event.newItems > 0) newItems.inc(event.newItems);
      if (event.alerts > 0) alertsQueued.inc(event.alerts);
      const feedId = String(event.feed.id);
      if (event.status !== 'error') lastSuccess.set({ feed_id: feedId }, seconds(event.at));
      // After a restart, a failing feed still shows when it last worked (from the database).
      else if (event.feed.lastSuccessAt)
        lastSuccess.set({ feed_id: feedId }, seconds(event.feed.lastSuccessAt));
    },
    tickFinished(event) {
      ticks.inc();
      tickDuration.observe(event.durationMs / 1000);
      lastTick.set(seconds(event.at));
      outbox.set(event.outboxDepth);
      lastTickAt = event.at;
    },
    alertAttempted(event) {
      const kind = event.destination.kind;
      deliveries.inc({ destination_kind: kind, outcome: event.outcome });
      if (event.outcome === 'delivered' && event.publishedAt) {
        // A feed clock ahead of ours would give a negative latency; count it as immediate.
        const latencySec = Math.max(0, (event.at.getTime() - event.publishedAt.getTime()) / 1000);
        latency.observe({ destination_kind: kind }, latencySec);
      }
    },
  };

  return {
    registry,
    events,
    lastTickAt: () => lastTickAt,
    render: () => registry.metrics(),
    contentType: registry.contentType,
  };
}
