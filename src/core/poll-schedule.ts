/** When to poll a feed next. Pure: the random source is passed in so tests are deterministic. */
export interface PollTiming {
  /** Default interval for a feed with no better information, seconds. */
  defaultIntervalSec: number;
  minIntervalSec: number;
  maxIntervalSec: number;
  /** Fraction of the interval by which each poll is moved at random, so feeds added together spread out. */
  jitter: number;
}

/** Next poll after a successful (or not-modified) poll. */
export function nextPollAfterSuccess(
  now: Date,
  intervalSec: number,
  timing: PollTiming,
  random: () => number,
): Date {
  return new Date(now.getTime() + jittered(intervalSec, timing.jitter, random) * 1000);
}

/**
 * Next poll after the n-th consecutive failure: exponential backoff from the feed's interval, capped at the maximum,
 * and never sooner than the server asked (Retry-After). A failing feed keeps being retried at the maximum interval;
 * it is never dropped.
 */
export function nextPollAfterFailure(
  now: Date,
  intervalSec: number,
  consecutiveFailures: number,
  timing: PollTiming,
  random: () => number,
  retryAfterSec?: number,
): Date {
  const exponent = Math.min(Math.max(consecutiveFailures - 1, 0), 16);
  let delay = Math.min(intervalSec * 2 ** exponent, Math.max(timing.maxIntervalSec, intervalSec));
  if (retryAfterSec !== undefined && retryAfterSec > delay) delay = Math.min(retryAfterSec, 24 * 3600);
  return new Date(now.getTime() + jittered(delay, timing.jitter, random) * 1000);
}

/**
 * The interval for a feed from how often it publishes: a week divided by the items it published in the last week
 * (a feed with 168 items a week is polled hourly... and one with 10,000 at the minimum), clamped to the bounds, and
 * never below what the publisher asked for (RSS ttl, Cache-Control max-age / Expires).
 */
export function adaptiveInterval(input: {
  itemsLastWeek: number;
  /** Interval the operator set for this feed, if any: it wins over the adaptive guess. */
  configuredSec?: number | null;
  publisherMinSec?: number | null;
  timing: PollTiming;
}): number {
  const { timing } = input;
  let interval: number;
  if (input.configuredSec) interval = input.configuredSec;
  else if (input.itemsLastWeek <= 0) interval = timing.maxIntervalSec;
  else interval = (7 * 24 * 3600) / input.itemsLastWeek;
  interval = Math.min(
    Math.max(interval, timing.minIntervalSec),
    Math.max(timing.maxIntervalSec, timing.minIntervalSec),
  );
  if (input.configuredSec) interval = input.configuredSec;
  if (input.publisherMinSec && input.publisherMinSec > interval) {
    interval = Math.min(input.publisherMinSec, 24 * 3600);
  }
  return Math.round(interval);
}

function jittered(seconds: number, jitter: number, random: () => number): number {
  const spread = seconds * Math.min(Math.max(jitter, 0), 0.5);
  return Math.max(1, seconds + (random() * 2 - 1) * spread);
}
