import { describe, expect, it } from 'vitest';
import { formatByteSize, formatDuration, parseByteSize, parseDuration } from '../../src/config/index.js';

describe('parseDuration', () => {
  it.each([
    [90, 90],
    ['90', 90],
    ['90s', 90],
    ['5m', 300],
    ['1h', 3600],
    ['1h30m', 5400],
    ['2d', 172_800],
    ['250ms', 0.25],
    ['1.5m', 90],
    [' 5M ', 300],
  ])('reads %j as %d seconds', (input, seconds) => {
    expect(parseDuration(input)).toEqual({ ok: true, value: seconds });
  });

  it.each(['soon', '5 minutes', '5x', 'm5', '', '-5s', '1h 30'])(
    'rejects %j and says what it expects',
    (input) => {
      const result = parseDuration(input);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error).toContain('"90s", "5m", "1h"');
    },
  );

  it('rejects negative numbers, booleans and lists', () => {
    expect(parseDuration(-1).ok).toBe(false);
    expect(parseDuration(true)).toEqual({ ok: false, error: expect.stringContaining('got true/false') });
    expect(parseDuration([1])).toEqual({ ok: false, error: expect.stringContaining('got a list') });
  });
});

describe('parseByteSize', () => {
  it.each([
    [1024, 1024],
    ['2048', 2048],
    ['512KiB', 512 * 1024],
    ['10MiB', 10 * 1024 * 1024],
    ['10 mib', 10 * 1024 * 1024],
    ['1GiB', 1024 ** 3],
    ['10MB', 10_000_000],
    ['100kB', 100_000],
    ['1.5KiB', 1536],
    ['12B', 12],
  ])('reads %j as %d bytes', (input, bytes) => {
    expect(parseByteSize(input)).toEqual({ ok: true, value: bytes });
  });

  it.each(['10 parsecs', 'MiB', '', 'ten MiB', '-1MiB'])('rejects %j', (input) => {
    expect(parseByteSize(input).ok).toBe(false);
  });
});

describe('formatting', () => {
  it('prints durations in their shortest exact form and round-trips through parseDuration', () => {
    for (const seconds of [0, 1, 59, 60, 90, 300, 3600, 5400, 86_400, 90_061, 0.25]) {
      const text = formatDuration(seconds);
      expect(parseDuration(text)).toEqual({ ok: true, value: seconds });
    }
    expect(formatDuration(5400)).toBe('1h30m');
  });

  it('prints sizes in the largest binary unit that divides them', () => {
    expect(formatByteSize(10 * 1024 * 1024)).toBe('10 MiB');
    expect(formatByteSize(1536)).toBe('1536 bytes');
    expect(formatByteSize(3 * 1024 ** 3)).toBe('3 GiB');
  });
});
