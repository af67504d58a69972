import { WatchIndex, compileQuery, type Hit, type MatchInput } from '../core/query/index.js';
import type { Scope, WatchRow } from './ports.js';

export interface WatchHit {
  watch: WatchRow;
  hits: Hit[];
}

/**
 * The live set of watches, compiled once into the matcher's index. Adding, removing or pausing one watch updates the
 * index in place; nothing is rebuilt per poll.
 */
export class WatchRegistry {
  private readonly index = new WatchIndex<number>();
  private readonly rows = new Map<number, WatchRow>();

  /** Loads watches; returns those whose stored query no longer compiles (they are skipped, not fatal). */
  load(rows: readonly WatchRow[]): Array<{ watch: WatchRow; error: string }> {
    const broken: Array<{ watch: WatchRow; error: string }> = [];
    for (const row of rows) {
      try {
        this.upsert(row);
      } catch (err) {
        broken.push({ watch: row, error: err instanceof Error ? err.message : String(err) });
      }
    }
    return broken;
  }

  /** Adds or replaces a watch; throws QuerySyntaxError for a bad query (callers validate first). */
  upsert(row: WatchRow): void {
    this.remove(row.id);
    if (!row.paused) this.index.add(row.id, compileQuery(row.query));
    this.rows.set(row.id, row);
  }

  remove(id: number): void {
    this.index.remove(id);
    this.rows.delete(id);
  }

  get size(): number {
    return this.rows.size;
  }

  /**
   * Watches that match the item and apply to its feed: those naming the feed, and those on "all feeds" of a scope
   * that subscribes to it. Paused and muted watches do not fire.
   */
  match(item: MatchInput, feed: { id: number; scopes: ReadonlySet<Scope> }, now: Date): WatchHit[] {
    const out: WatchHit[] = [];
    for (const { id, hits } of this.index.match(item)) {
      const watch = this.rows.get(id);
      if (!watch || watch.paused) continue;
      if (watch.mutedUntil && watch.mutedUntil > now) continue;
      const applies = watch.feedIds ? watch.feedIds.includes(feed.id) : feed.scopes.has(watch.scope);
      if (applies) out.push({ watch, hits });
    }
    return out;
  }
}
