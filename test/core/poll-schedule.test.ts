import { describe, expect, it } from 'vitest';
import {
  adaptiveInterval,
  nextPollAfterFailure,
  nextPollAfterSuccess,
  type PollTiming,
} from '../../src/core/poll-schedule.js';

const timing: PollTiming = { defaultIntervalSec: 300, minIntervalSec: 60, maxIntervalSec: 3600, jitter: 0.1 };
const now = new Date('2026-11-29T12:00:00Z');
const seconds = (d: Date) => (d.getTime() - now.getTime()) / 1000;

describe('poll schedule', () => {
  it('jitters the interval within ±jitter', () => {
    expect(seconds(nextPollAfterSuccess(now, 300, timing, () => 0))).toBe(270);
    expect(seconds(nextPollAfterSuccess(now, 300, timing, () => 0.5))).toBe(300);
    expect(seconds(nextPollAfterSuccess(now, 300, timing, () => 1))).toBe(330);
  });

  it('backs off exponentially on failures, capped at the maximum interval', () => {
    const mid = () => 0.5;
    expect(seconds(nextPollAfterFailure(now, 300, 1, timing, mid))).toBe(300);
    expect(seconds(nextPollAfterFailure(now, 300, 2, timing, mid))).toBe(600);
    expect(seconds(nextPollAfterFailure(now, 300, 3, timing, mid))).toBe(1200);
    expect(seconds(nextPollAfterFailure(now, 300, 30, timing, mid))).toBe(3600);
  });

  it('waits at least as long as Retry-After asks', () => {
    expect(seconds(nextPollAfterFailure(now, 300, 1, timing, () => 0.5, 7200))).toBe(7200);
  });

  it('adapts the interval to how often a feed publishes, within bounds and above the publisher minimum', () => {
    expect(adaptiveInterval({ itemsLastWeek: 168, timing })).toBe(3600);
    expect(adaptiveInterval({ itemsLastWeek: 1008, timing })).toBe(600);
    expect(adaptiveInterval({ itemsLastWeek: 1_000_000, timing })).toBe(60);
    expect(adaptiveInterval({ itemsLastWeek: 0, timing })).toBe(3600);
    expect(adaptiveInterval({ itemsLastWeek: 1008, publisherMinSec: 1800, timing })).toBe(1800);
    expect(adaptiveInterval({ itemsLastWeek: 1008, configuredSec: 120, timing })).toBe(120);
  });
});
