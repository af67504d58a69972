import type Database from 'better-sqlite3';
import type { DestinationRow, Scope } from '../../app/ports.js';
import type { OutboxQueries } from './outbox-queries.js';
import { ms, toDestination, type DestinationDbRow } from './row-mappers.js';
import { prepared } from './statement-cache.js';

/** Where alerts go: the console, Discord webhooks, Discord channels. */
export class DestinationQueries {
  private readonly byId;
  private readonly byTarget;

  constructor(
    private readonly db: Database.Database,
    private readonly outbox: OutboxQueries,
    private readonly now: () => Date,
  ) {
    this.byId = db.prepare<[number], DestinationDbRow>('SELECT * FROM destinations WHERE id = ?');
    this.byTarget = db.prepare<[string, string, string], DestinationDbRow>(
      'SELECT * FROM destinations WHERE scope = ? AND kind = ? AND target = ?',
    );
  }

  listDestinations(scope?: Scope): DestinationRow[] {
    const rows =
      scope === undefined
        ? prepared<[], DestinationDbRow>(this.db, 'SELECT * FROM destinations ORDER BY id').all()
        : prepared<[string], DestinationDbRow>(
            this.db,
            'SELECT * FROM destinations WHERE scope = ? ORDER BY id',
          ).all(scope);
    return rows.map(toDestination);
  }

  getDestination(id: number): DestinationRow | undefined {
    const r = this.byId.get(id);
    return r ? toDestination(r) : undefined;
  }

  findByTarget(scope: Scope, kind: string, target: string): DestinationRow | undefined {
    const r = this.byTarget.get(scope, kind, target);
    return r ? toDestination(r) : undefined;
  }

  /** A disabled destination found here stays disabled: re-enabling is an explicit decision (enableDestination). */
  ensureDestination(input: Omit<DestinationRow, 'id' | 'enabled' | 'disabledReason'>): DestinationRow {
    const existing = this.findByTarget(input.scope, input.kind, input.target);
    if (existing) return existing;
    const id = Number(
      prepared(
        this.db,
        'INSERT INTO destinations (scope, name, kind, target, created_at) VALUES (?, ?, ?, ?, ?)',
      ).run(input.scope, input.name, input.kind, input.target, ms(this.now())).lastInsertRowid,
    );
    return this.getDestination(id) as DestinationRow;
  }

  disableDestination(id: number, reason: string): void {
    this.db.transaction(() => {
      prepared(this.db, 'UPDATE destinations SET enabled = 0, disabled_reason = ? WHERE id = ?').run(
        reason,
        id,
      );
      this.outbox.failPendingFor(id, reason);
    })();
  }

  enableDestination(id: number): void {
    prepared(this.db, 'UPDATE destinations SET enabled = 1, disabled_reason = NULL WHERE id = ?').run(id);
  }
}
