import type Database from 'better-sqlite3';
import type { OutboxRow } from '../../app/ports.js';
import type {
  AlertUpdateKind,
  AlertUpdateRow,
  DestinationPolicy,
  NewAlertUpdate,
  StoredStoryMember,
  StoryLink,
  StoryRow,
} from '../../app/story-ports.js';
import type { StoryReport } from '../../core/story/index.js';
import { newNonce } from './outbox-queries.js';
import { ms, toOutbox, type OutboxDbRow } from './row-mappers.js';
import { prepared } from './statement-cache.js';

interface UpdateDbRow {
  id: number;
  outbox_id: number;
  destination_id: number;
  feed_id: number;
  item_key: string;
  kind: string;
  report: string;
  attempts: number;
  created_at: number;
  nonce: string;
}

const toUpdate = (r: UpdateDbRow): AlertUpdateRow => ({
  id: r.id,
  outboxId: r.outbox_id,
  destinationId: r.destination_id,
  feedId: r.feed_id,
  itemKey: r.item_key,
  kind: r.kind as AlertUpdateKind,
  report: JSON.parse(r.report) as StoryReport,
  attempts: r.attempts,
  createdAt: new Date(r.created_at),
  nonce: r.nonce,
});

/** Stories and their items, updates of alerted stories, and per-destination delivery policy. */
export class StoryQueries {
  private readonly insertStory;
  private readonly insertMember;
  private readonly touchStory;
  private readonly insertUpdate;

  constructor(private readonly db: Database.Database) {
    this.insertStory = db.prepare(
      `INSERT OR IGNORE INTO stories (id, title, summary, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, ?)`,
    );
    this.insertMember = db.prepare(
      `INSERT OR IGNORE INTO story_items (feed_id, item_key, story_id, signature, wire, seen_at)
       SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM stories WHERE id = ?)`,
    );
    this.touchStory = db.prepare('UPDATE stories SET last_seen_at = max(last_seen_at, ?) WHERE id = ?');
    // Like alerts, updates for a disabled destination are not queued.
    this.insertUpdate = db.prepare(
      `INSERT OR IGNORE INTO alert_updates
         (outbox_id, destination_id, feed_id, item_key, kind, report, next_attempt_at, created_at, nonce)
       SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?
       WHERE EXISTS (SELECT 1 FROM destinations WHERE id = ? AND enabled = 1)
         AND EXISTS (SELECT 1 FROM outbox WHERE id = ?)`,
    );
  }

  /** Call inside the poll transaction, for the links of items it inserted. */
  recordLinks(feedId: number, links: readonly StoryLink[], at: Date): void {
    const t = ms(at);
    for (const l of links) {
      if (l.newStory) this.insertStory.run(l.storyId, l.newStory.title, l.newStory.summary, t, t);
      this.insertMember.run(
        feedId,
        l.itemKey,
        l.storyId,
        Buffer.from(l.signature.buffer, l.signature.byteOffset, l.signature.byteLength),
        l.wire,
        t,
        l.storyId,
      );
      this.touchStory.run(t, l.storyId);
    }
  }

  /** Call inside the poll transaction; returns how many were queued. */
  recordUpdates(feedId: number, updates: readonly NewAlertUpdate[], at: Date): number {
    const t = ms(at);
    let n = 0;
    for (const u of updates) {
      const res = this.insertUpdate.run(
        u.outboxId,
        u.destinationId,
        feedId,
        u.itemKey,
        u.kind,
        JSON.stringify(u.report),
        t,
        t,
        newNonce(),
        u.destinationId,
        u.outboxId,
      );
      n += res.changes;
    }
    return n;
  }

  loadStoryMembers(since: Date): StoredStoryMember[] {
    return prepared<[number], { story_id: string; signature: Buffer; seen_at: number }>(
      this.db,
      `SELECT m.story_id, m.signature, m.seen_at FROM story_items m JOIN stories s ON s.id = m.story_id
         WHERE s.last_seen_at >= ? ORDER BY s.last_seen_at, m.seen_at`,
    )
      .all(ms(since))
      .map((r) => ({
        storyId: r.story_id,
        signature: new Uint8Array(r.signature),
        seenAt: new Date(r.seen_at),
      }));
  }

  getStory(id: string): StoryRow | undefined {
    const r = prepared<
      [string],
      { id: string; title: string; summary: string; first_seen_at: number; last_seen_at: number }
    >(this.db, 'SELECT * FROM stories WHERE id = ?').get(id);
    return r
      ? {
          id: r.id,
          title: r.title,
          summary: r.summary,
          firstSeenAt: new Date(r.first_seen_at),
          lastSeenAt: new Date(r.last_seen_at),
        }
      : undefined;
  }

  storyAlert(storyId: string, watchId: number, destinationId: number): { outboxId: number } | null {
    const r = prepared<[string, number, number], { id: number }>(
      this.db,
      `SELECT id FROM outbox WHERE story_id = ? AND watch_id = ? AND destination_id = ? ORDER BY id LIMIT 1`,
    ).get(storyId, watchId, destinationId);
    return r ? { outboxId: r.id } : null;
  }

  storyMembers(
    storyId: string,
  ): Array<{ feedId: number; itemKey: string; wire: string | null; seenAt: Date }> {
    return prepared<[string], { feed_id: number; item_key: string; wire: string | null; seen_at: number }>(
      this.db,
      'SELECT feed_id, item_key, wire, seen_at FROM story_items WHERE story_id = ? ORDER BY seen_at, rowid',
    )
      .all(storyId)
      .map((r) => ({ feedId: r.feed_id, itemKey: r.item_key, wire: r.wire, seenAt: new Date(r.seen_at) }));
  }

  pruneStories(before: Date): number {
    return prepared(this.db, 'DELETE FROM stories WHERE last_seen_at < ?').run(ms(before)).changes;
  }

  outboxRow(id: number): OutboxRow | undefined {
    const r = prepared<[number], OutboxDbRow>(this.db, 'SELECT * FROM outbox WHERE id = ?').get(id);
    return r ? toOutbox(r) : undefined;
  }

  sharesMessage(outboxId: number): boolean {
    const r = prepared<[number], { n: number }>(
      this.db,
      `SELECT count(*) AS n FROM outbox o JOIN outbox x ON x.destination_id = o.destination_id
           AND x.remote_id = o.remote_id AND x.id != o.id
         WHERE o.id = ? AND o.remote_id IS NOT NULL`,
    ).get(outboxId);
    return (r?.n ?? 0) > 0;
  }

  listPendingUpdates(now: Date, limit: number): AlertUpdateRow[] {
    // Only once the alert itself is settled: an edit needs the delivered message's id.
    return prepared<[number, number], UpdateDbRow>(
      this.db,
      `SELECT u.* FROM alert_updates u JOIN outbox o ON o.id = u.outbox_id
           JOIN destinations d ON d.id = u.destination_id
         WHERE u.status = 'pending' AND u.next_attempt_at <= ? AND o.status != 'pending' AND d.enabled = 1
         ORDER BY u.id LIMIT ?`,
    )
      .all(ms(now), limit)
      .map(toUpdate);
  }

  updatesOf(outboxId: number): AlertUpdateRow[] {
    return prepared<[number], UpdateDbRow>(
      this.db,
      'SELECT * FROM alert_updates WHERE outbox_id = ? ORDER BY id',
    )
      .all(outboxId)
      .map(toUpdate);
  }

  markUpdateDelivered(id: number, at: Date): void {
    prepared(
      this.db,
      `UPDATE alert_updates SET status = 'delivered', delivered_at = ?, attempts = attempts + 1, last_error = NULL
         WHERE id = ?`,
    ).run(ms(at), id);
  }

  markUpdateRetry(id: number, input: { error: string; nextAttemptAt: Date }): void {
    prepared(
      this.db,
      `UPDATE alert_updates SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?
         WHERE id = ? AND status = 'pending'`,
    ).run(input.error, ms(input.nextAttemptAt), id);
  }

  markUpdateFailed(id: number, error: string): void {
    prepared(
      this.db,
      `UPDATE alert_updates SET status = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ?`,
    ).run(error, id);
  }

  alertThread(outboxId: number): string | null {
    const r = prepared<[number], { thread_id: string | null }>(
      this.db,
      'SELECT thread_id FROM outbox WHERE id = ?',
    ).get(outboxId);
    return r?.thread_id ?? null;
  }

  setAlertThread(outboxId: number, threadId: string | null): void {
    prepared(this.db, 'UPDATE outbox SET thread_id = ? WHERE id = ?').run(threadId, outboxId);
  }

  getDestinationPolicy(destinationId: number): DestinationPolicy {
    const r = prepared<
      [number],
      {
        quiet_start: number | null;
        quiet_end: number | null;
        rate_max: number | null;
        rate_window_sec: number | null;
      }
    >(this.db, 'SELECT * FROM destination_settings WHERE destination_id = ?').get(destinationId);
    return {
      quietHours:
        r && r.quiet_start !== null && r.quiet_end !== null
          ? { start: r.quiet_start, end: r.quiet_end }
          : null,
      rateCap:
        r && r.rate_max !== null && r.rate_window_sec !== null
          ? { max: r.rate_max, windowSec: r.rate_window_sec }
          : null,
    };
  }

  updateDestinationPolicy(
    destinationId: number,
    patch: Partial<DestinationPolicy>,
    at: Date,
  ): DestinationPolicy {
    const next = { ...this.getDestinationPolicy(destinationId), ...patch };
    prepared(
      this.db,
      `INSERT INTO destination_settings (destination_id, quiet_start, quiet_end, rate_max, rate_window_sec, updated_at)
         VALUES (@id, @qs, @qe, @rm, @rw, @at)
         ON CONFLICT (destination_id) DO UPDATE SET quiet_start = @qs, quiet_end = @qe, rate_max = @rm,
           rate_window_sec = @rw, updated_at = @at`,
    ).run({
      id: destinationId,
      qs: next.quietHours?.start ?? null,
      qe: next.quietHours?.end ?? null,
      rm: next.rateCap?.max ?? null,
      rw: next.rateCap?.windowSec ?? null,
      at: ms(at),
    });
    return next;
  }

  messagesDeliveredSince(destinationId: number, since: Date): number {
    // A digest marks all its rows delivered with one message id: count messages, not rows.
    const r = prepared<[number, number], { n: number }>(
      this.db,
      `SELECT count(DISTINCT COALESCE(remote_id, 'row:' || id)) AS n FROM outbox
         WHERE destination_id = ? AND status = 'delivered' AND delivered_at >= ?`,
    ).get(destinationId, ms(since));
    return r?.n ?? 0;
  }
}
