import { describe, expect, it } from 'vitest';
import type { DestinationRow, FeedRow } from '../../src/app/ports.js';
import { createMetrics } from '../../src/adapters/metrics.js';

function feed(id: number, overrides: Partial<FeedRow> = {}): FeedRow {
  const at = new Date('2025-03-01T12:00:00Z');
  return {
    id,
    url: `https://news.example.org/${id}.xml?token=feed-secret-${id}`,
    title: null,
    intervalSec: 300,
    etag: null,
    lastModified: null,
    lastSuccessAt: null,
    lastErrorAt: null,
    lastErrorCode: null,
    lastErrorMessage: null,
    consecutiveFailures: 0,
    nextPollAt: at,
    primedAt: at,
    enabled: true,
    createdAt: at,
    movedToUrl: null,
    movedCount: 0,
    ...overrides,
  };
}

const webhook: DestinationRow = {
  id: 1,
  scope: 'config',
  name: 'newsroom',
  kind: 'discord-webhook',
  target: 'https://discord.com/api/webhooks/1/very-secret-webhook-token',
  enabled: true,
  disabledReason: null,
};
const console_: DestinationRow = { ...webhook, id: 2, name: 'console', kind: 'console', target: '' };

/** The value of one sample line, e.g. `wirewatch_feed_polls_total{result="ok"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('metrics', () => {
  it('counts feed polls by result, new items, queued alerts and poll durations', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const at = new Date('2025-03-01T12:05:00Z');
    metrics.events.feedPolled?.({
      feed: feed(1),
      status: 'ok',
      code: null,
      newItems: 4,
      alerts: 2,
      durationMs: 300,
      at,
    });
    metrics.events.feedPolled?.({
      feed: feed(2),
      status: 'not-modified',
      code: null,
      newItems: 0,
      alerts: 0,
      durationMs: 40,
      at,
    });
    metrics.events.feedPolled?.({
      feed: feed(3),
      status: 'error',
      code: 'timeout',
      newItems: 0,
      alerts: 0,
      durationMs: 20_000,
      at,
    });
    metrics.events.feedPolled?.({
      feed: feed(1),
      status: 'ok',
      code: null,
      newItems: 1,
      alerts: 0,
      durationMs: 100,
      at,
    });

    const text = await metrics.render();
    expect(sample(text, 'wirewatch_feed_polls_total{result="ok"}')).toBe(2);
    expect(sample(text, 'wirewatch_feed_polls_total{result="not-modified"}')).toBe(1);
    expect(sample(text, 'wirewatch_feed_polls_total{result="timeout"}')).toBe(1);
    expect(sample(text, 'wirewatch_new_items_total')).toBe(5);
    expect(sample(text, 'wirewatch_alerts_queued_total')).toBe(2);
    expect(sample(text, 'wirewatch_feed_poll_duration_seconds_count')).toBe(4);
    expect(sample(text, 'wirewatch_feed_poll_duration_seconds_sum')).toBeCloseTo(20.44, 6);
    expect(sample(text, 'wirewatch_feed_poll_duration_seconds_bucket{le="0.25"}')).toBe(2);
    expect(sample(text, 'wirewatch_feed_poll_duration_seconds_bucket{le="0.5"}')).toBe(3);
  });

  it('keeps the last success time per feed id, never the feed URL', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const ok = new Date('2025-03-01T12:05:00Z');
    const remembered = new Date('2025-02-28T08:00:00Z');
    metrics.events.feedPolled?.({
      feed: feed(7),
      status: 'ok',
      code: null,
      newItems: 0,
      alerts: 0,
      durationMs: 5,
      at: ok,
    });
    metrics.events.feedPolled?.({
      feed: feed(8, { lastSuccessAt: remembered }),
      status: 'error',
      code: 'dns',
      newItems: 0,
      alerts: 0,
      durationMs: 5,
      at: ok,
    });
    metrics.events.feedPolled?.({
      feed: feed(9),
      status: 'error',
      code: 'dns',
      newItems: 0,
      alerts: 0,
      durationMs: 5,
      at: ok,
    });

    const text = await metrics.render();
    expect(sample(text, 'wirewatch_feed_last_success_timestamp_seconds{feed_id="7"}')).toBe(
      ok.getTime() / 1000,
    );
    expect(sample(text, 'wirewatch_feed_last_success_timestamp_seconds{feed_id="8"}')).toBe(
      remembered.getTime() / 1000,
    );
    // A feed that never worked has no success time at all rather than a misleading zero.
    expect(text).not.toContain('feed_id="9"');
    expect(text).not.toContain('news.example.org');
    expect(text).not.toContain('feed-secret');
  });

  it('records ticks, the outbox depth and the last tick time', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    expect(metrics.lastTickAt()).toBeNull();
    const at = new Date('2025-03-01T12:06:00Z');
    metrics.events.tickFinished?.({ feeds: 6, errors: 1, durationMs: 1_500, at, outboxDepth: 3 });

    expect(metrics.lastTickAt()).toEqual(at);
    const text = await metrics.render();
    expect(sample(text, 'wirewatch_poll_ticks_total')).toBe(1);
    expect(sample(text, 'wirewatch_outbox_depth')).toBe(3);
    expect(sample(text, 'wirewatch_last_poll_tick_timestamp_seconds')).toBe(at.getTime() / 1000);
    expect(sample(text, 'wirewatch_poll_tick_duration_seconds_sum')).toBe(1.5);
  });

  it('reads the outbox depth at scrape time when given a reader, and keeps the last value if it throws', async () => {
    let depth: number | Error = 12;
    const metrics = createMetrics({
      defaultMetrics: false,
      outboxDepth: () => {
        if (depth instanceof Error) throw depth;
        return depth;
      },
    });
    expect(sample(await metrics.render(), 'wirewatch_outbox_depth')).toBe(12);
    depth = 4;
    expect(sample(await metrics.render(), 'wirewatch_outbox_depth')).toBe(4);
    depth = new Error('The database connection is not open');
    expect(sample(await metrics.render(), 'wirewatch_outbox_depth')).toBe(4);
  });

  it('counts deliveries by destination kind and outcome and measures publish-to-delivery latency', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const at = new Date('2025-03-01T12:10:00Z');
    const ago = (sec: number) => new Date(at.getTime() - sec * 1000);
    metrics.events.alertAttempted?.({ destination: webhook, outcome: 'delivered', publishedAt: ago(40), at });
    metrics.events.alertAttempted?.({
      destination: webhook,
      outcome: 'delivered',
      publishedAt: ago(400),
      at,
    });
    metrics.events.alertAttempted?.({ destination: webhook, outcome: 'retrying', publishedAt: ago(10), at });
    metrics.events.alertAttempted?.({ destination: console_, outcome: 'delivered', publishedAt: null, at });
    metrics.events.alertAttempted?.({ destination: console_, outcome: 'failed', publishedAt: ago(5), at });
    // Published "in the future" by a feed whose clock is ahead: counted as immediate.
    metrics.events.alertAttempted?.({
      destination: console_,
      outcome: 'delivered',
      publishedAt: ago(-30),
      at,
    });

    const text = await metrics.render();
    const deliveries = 'wirewatch_alert_deliveries_total';
    expect(sample(text, `${deliveries}{destination_kind="discord-webhook",outcome="delivered"}`)).toBe(2);
    expect(sample(text, `${deliveries}{destination_kind="discord-webhook",outcome="retrying"}`)).toBe(1);
    expect(sample(text, `${deliveries}{destination_kind="console",outcome="delivered"}`)).toBe(2);
    expect(sample(text, `${deliveries}{destination_kind="console",outcome="failed"}`)).toBe(1);

    const latency = 'wirewatch_alert_delivery_latency_seconds';
    expect(sample(text, `${latency}_count{destination_kind="discord-webhook"}`)).toBe(2);
    expect(sample(text, `${latency}_sum{destination_kind="discord-webhook"}`)).toBe(440);
    expect(sample(text, `${latency}_bucket{le="60",destination_kind="discord-webhook"}`)).toBe(1);
    expect(sample(text, `${latency}_bucket{le="600",destination_kind="discord-webhook"}`)).toBe(2);
    // Only delivered alerts with a published time are measured.
    expect(sample(text, `${latency}_count{destination_kind="console"}`)).toBe(1);
    expect(sample(text, `${latency}_sum{destination_kind="console"}`)).toBe(0);
    expect(text).not.toContain('very-secret-webhook-token');
    expect(text).not.toContain('newsroom');
  });

  it('includes the process metrics in a registry of its own', async () => {
    const first = createMetrics();
    const second = createMetrics();
    first.events.tickFinished?.({ feeds: 1, errors: 0, durationMs: 10, at: new Date(), outboxDepth: 0 });

    const text = await first.render();
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('process_resident_memory_bytes');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
    expect(first.contentType).toContain('text/plain');
    expect(sample(await second.render(), 'wirewatch_poll_ticks_total')).toBe(0);
  });
});
