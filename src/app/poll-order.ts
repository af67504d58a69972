/** A poll at least this long marks its feed slow: the next tick starts it before the others. */
export const SLOW_POLL_MS = 1000;

/**
 * The order in which a tick starts its due feeds. A tick ends when its last poll does, and the next tick waits for
 * it; a feed that answers in 15 s, started last, would hold the whole tick 15 s past everything else. Started
 * first, its wait overlaps the other polls (longest first: the classic rule for finishing a batch of jobs on a few
 * workers soonest). Only slow feeds are remembered, so the map stays as small as the set of slow feeds; what is
 * learned is lost on restart, and the first tick after it runs in due order.
 */
export class PollOrder {
  private readonly slow = new Map<number, number>();

  constructor(private readonly slowMs = SLOW_POLL_MS) {}

  /** Records how long a feed's poll took (wall time, fetch to stored). */
  record(feedId: number, ms: number): void {
    if (ms >= this.slowMs) this.slow.set(feedId, ms);
    else this.slow.delete(feedId);
  }

  /** Due feeds in the order to start them: the slow ones first, slowest first; the others in due order. */
  order<T extends { id: number }>(due: readonly T[]): T[] {
    if (this.slow.size === 0) return [...due];
    const slow = due.filter((f) => this.slow.has(f.id));
    if (slow.length === 0) return [...due];
    slow.sort((a, b) => (this.slow.get(b.id) ?? 0) - (this.slow.get(a.id) ?? 0));
    return [...slow, ...due.filter((f) => !this.slow.has(f.id))];
  }
}
