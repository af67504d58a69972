import type { OutboxRow } from './ports.js';
import type { DestinationPolicy } from './story-ports.js';

const DAY_MS = 24 * 3600 * 1000;

/** Whether `at` falls inside quiet hours [start, end) (minutes after midnight UTC; may wrap past midnight). */
export function inQuietHours(quiet: { start: number; end: number }, at: Date): boolean {
  const minute = at.getUTCHours() * 60 + at.getUTCMinutes();
  return quiet.start <= quiet.end
    ? minute >= quiet.start && minute < quiet.end
    : minute >= quiet.start || minute < quiet.end;
}

/** The last quiet period that ended at or before `at`, as instants. */
export function lastQuietPeriod(quiet: { start: number; end: number }, at: Date): { start: Date; end: Date } {
  const midnight = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  let end = midnight + quiet.end * 60_000;
  if (end > at.getTime()) end -= DAY_MS;
  const length = (((quiet.end - quiet.start) % 1440) + 1440) % 1440 || 1440;
  return { start: new Date(end - length * 60_000), end: new Date(end) };
}

/**
 * What a destination sends now, given its policy. In quiet hours: nothing (alerts are held). Alerts created during
 * the quiet period that just ended go as one digest. Over the rate cap (more than `max` messages in the window)
 * the surplus goes as one digest taking the last free slot, or waits for a slot when none is left. Groups only
 * depend on stored rows and the clock, so a digest rebuilt after a crash has the same first row and nonce.
 */
export function applyDeliveryPolicy(
  groups: readonly OutboxRow[][],
  policy: DestinationPolicy,
  ctx: { now: Date; canDigest: boolean; deliveredInWindow: () => number },
): OutboxRow[][] {
  let out = [...groups];
  if (policy.quietHours) {
    if (inQuietHours(policy.quietHours, ctx.now)) return [];
    if (ctx.canDigest) {
      const { start, end } = lastQuietPeriod(policy.quietHours, ctx.now);
      const held = (r: OutboxRow): boolean => r.createdAt >= start && r.createdAt < end;
      const quietRows = out.flat().filter(held);
      if (quietRows.length > 1) {
        out = [quietRows, ...out.map((g) => g.filter((r) => !held(r))).filter((g) => g.length > 0)];
      }
    }
  }
  if (policy.rateCap && out.length > 0) {
    const room = policy.rateCap.max - ctx.deliveredInWindow();
    if (room <= 0) return [];
    if (out.length > room) {
      if (!ctx.canDigest) return out.slice(0, room);
      out = [...out.slice(0, room - 1), out.slice(room - 1).flat()];
    }
  }
  return out;
}
