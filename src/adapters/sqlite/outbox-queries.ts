import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { NewAlert, OutboxRow } from '../../app/ports.js';
import { ms, toOutbox, type OutboxDbRow } from './row-mappers.js';
import { prepared } from './statement-cache.js';

/**
 * A Discord message nonce: at most 25 characters. 12 random bytes in hex (24 characters) make collisions
 * practically impossible; it is stored with the row, so a retry after a restart sends the same nonce.
 */
export function newNonce(): string {
  return randomBytes(12).toString('hex');
}

/** The alert outbox: written in the poll transaction, drained by the deliverer. */
export class OutboxQueries {
  private readonly insert;
  private readonly pending;

  constructor(private readonly db: Database.Database) {
    // OR IGNORE: UNIQUE (destination_id, watch_id, feed_id, item_key) means one alert can never be queued twice.
    // Alerts to a disabled destination are not queued: it receives nothing until it is enabled again.
    this.insert = db.prepare<
      [number, number, number, string, string, number, number, string, string | null, number]
    >(
      `INSERT OR IGNORE INTO outbox
         (destination_id, watch_id, feed_id, item_key, alert, status, next_attempt_at, created_at, nonce, story_id)
       SELECT ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?
       WHERE EXISTS (SELECT 1 FROM destinations WHERE id = ? AND enabled = 1)`,
    );
    // An alert waiting for a retry holds back the later alerts of its destination: a channel sees alerts in the
    // order they were found, never a newer one before an older one.
    this.pending = db.prepare<{ now: number; limit: number }, OutboxDbRow>(
      `SELECT o.* FROM outbox o JOIN destinations d ON d.id = o.destination_id
       WHERE o.status = 'pending' AND o.next_attempt_at <= @now AND d.enabled = 1
         AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.destination_id = o.destination_id
                         AND e.status = 'pending' AND e.id < o.id AND e.next_attempt_at > @now)
       ORDER BY o.id LIMIT @limit`,
    );
  }

  /** Queues one alert; returns whether a row was written. Call inside the poll transaction. */
  insertAlert(feedId: number, alert: NewAlert, at: Date): boolean {
    const t = ms(at);
    return (
      this.insert.run(
        alert.destinationId,
        alert.watchId,
        feedId,
        alert.itemKey,
        JSON.stringify(alert.alert),
        t,
        t,
        newNonce(),
        alert.storyId ?? null,
        alert.destinationId,
      ).changes > 0
    );
  }

  listPendingAlerts(now: Date, limit: number): OutboxRow[] {
    return this.pending.all({ now: ms(now), limit }).map(toOutbox);
  }

  markDelivered(id: number, at: Date, remoteId: string | null): void {
    prepared(
      this.db,
      `UPDATE outbox SET status = 'delivered', delivered_at = ?, remote_id = ?, attempts = attempts + 1,
           last_error = NULL
         WHERE id = ?`,
    ).run(ms(at), remoteId, id);
  }

  markRetry(id: number, input: { error: string; nextAttemptAt: Date }): void {
    prepared(
      this.db,
      `UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?
         WHERE id = ? AND status = 'pending'`,
    ).run(input.error, ms(input.nextAttemptAt), id);
  }

  markFailed(id: number, error: string): void {
    prepared(
      this.db,
      `UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ?`,
    ).run(error, id);
  }

  /** Alerts still waiting for an enabled destination (the gauge operators watch). */
  outboxDepth(): number {
    const r = prepared<[], { n: number }>(
      this.db,
      `SELECT count(*) AS n FROM outbox o JOIN destinations d ON d.id = o.destination_id
         WHERE o.status = 'pending' AND d.enabled = 1`,
    ).get();
    return r?.n ?? 0;
  }

  pruneOutbox(before: Date): number {
    return prepared<[number]>(
      this.db,
      `DELETE FROM outbox WHERE status IN ('delivered', 'failed') AND created_at < ?`,
    ).run(ms(before)).changes;
  }

  /** When a destination is disabled its queued alerts fail now, instead of flooding it if it is ever re-enabled. */
  failPendingFor(destinationId: number, reason: string): void {
    prepared(
      this.db,
      `UPDATE outbox SET status = 'failed', last_error = ? WHERE destination_id = ? AND status = 'pending'`,
    ).run(`destination disabled: ${reason}`, destinationId);
  }
}
