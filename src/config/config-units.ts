/**
 * Durations and byte sizes as people write them in YAML ("90s", "5m", "10MiB") turned into plain numbers,
 * so the rest of the app never parses strings.
 */

export type UnitResult = { ok: true; value: number } | { ok: false; error: string };

const DURATION_UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400 };
// One or more "<number><unit>" parts, e.g. "90s", "1h30m", "0.5s".
const DURATION_PART = /(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)/gy;

/** Parses seconds given as a number or a string like "90s", "5m", "1h", "1h30m", "250ms". */
export function parseDuration(input: unknown): UnitResult {
  const expected = 'expected seconds as a number or a duration like "90s", "5m", "1h"';
  if (typeof input === 'number') {
    return Number.isFinite(input) && input >= 0
      ? { ok: true, value: input }
      : { ok: false, error: `${expected}, got ${String(input)}` };
  }
  if (typeof input !== 'string') return { ok: false, error: `${expected}, got ${describeType(input)}` };
  const text = input.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(text)) return { ok: true, value: Number(text) };
  let total = 0;
  let consumed = 0;
  DURATION_PART.lastIndex = 0;
  for (let match = DURATION_PART.exec(text); match !== null; match = DURATION_PART.exec(text)) {
    total += Number(match[1]) * (DURATION_UNITS[match[2] ?? ''] ?? Number.NaN);
    consumed = DURATION_PART.lastIndex;
  }
  if (text === '' || consumed !== text.length || !Number.isFinite(total)) {
    return { ok: false, error: `${expected}, got "${input}"` };
  }
  return { ok: true, value: total };
}

const SIZE_UNITS: Record<string, number> = {
  b: 1,
  kb: 1000,
  mb: 1000 ** 2,
  gb: 1000 ** 3,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

/** Parses bytes given as a number or a string like "512KiB", "10MiB", "1GB" (KiB/MiB/GiB are powers of 1024). */
export function parseByteSize(input: unknown): UnitResult {
  const expected = 'expected bytes as a number or a size like "512KiB", "10MiB"';
  if (typeof input === 'number') {
    return Number.isFinite(input) && input >= 0
      ? { ok: true, value: Math.floor(input) }
      : { ok: false, error: `${expected}, got ${String(input)}` };
  }
  if (typeof input !== 'string') return { ok: false, error: `${expected}, got ${describeType(input)}` };
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(input.trim());
  const factor = match ? SIZE_UNITS[(match[2] || 'b').toLowerCase()] : undefined;
  if (!match || factor === undefined) return { ok: false, error: `${expected}, got "${input}"` };
  return { ok: true, value: Math.floor(Number(match[1]) * factor) };
}

/** The shortest exact spelling of a number of seconds: 300 → "5m", 5400 → "1h30m", 0.25 → "250ms". */
export function formatDuration(seconds: number): string {
  if (seconds === 0) return '0s';
  if (!Number.isInteger(seconds)) return seconds < 1 ? `${Math.round(seconds * 1000)}ms` : `${seconds}s`;
  const parts: string[] = [];
  let rest = seconds;
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const count = Math.floor(rest / size);
    if (count > 0) parts.push(`${count}${unit}`);
    rest -= count * size;
  }
  return parts.join('');
}

/** Bytes in the largest binary unit that divides them evenly: 10485760 → "10 MiB". */
export function formatByteSize(bytes: number): string {
  for (const [unit, size] of [
    ['GiB', 1024 ** 3],
    ['MiB', 1024 ** 2],
    ['KiB', 1024],
  ] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size} ${unit}`;
  }
  return `${bytes} bytes`;
}

/** A value's kind in words, for "expected X, got Y" messages; never the value itself (it may be a secret). */
export function describeType(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return 'text';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'true/false';
  return typeof value;
}
