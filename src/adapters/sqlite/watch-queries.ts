import type Database from 'better-sqlite3';
import type { Scope, WatchRow } from '../../app/ports.js';
import { NameTakenError } from './store-errors.js';
import { ms, msOrNull, toWatch, type WatchDbRow } from './row-mappers.js';
import { prepared } from './statement-cache.js';

const SELECT_WATCH = `SELECT w.*,
  (SELECT json_group_array(wd.destination_id) FROM watch_destinations wd WHERE wd.watch_id = w.id) AS destination_ids
  FROM watches w`;

export type NewWatch = Omit<WatchRow, 'id' | 'createdAt' | 'paused' | 'mutedUntil'> & { paused?: boolean };

/** Keyword watches and the destinations each one posts to. */
export class WatchQueries {
  private readonly byId;
  private readonly byName;
  private readonly insertDest;

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => Date,
  ) {
    this.byId = db.prepare<[number], WatchDbRow>(`${SELECT_WATCH} WHERE w.id = ? AND w.enabled = 1`);
    this.byName = db.prepare<[string, string], { id: number; enabled: number }>(
      'SELECT id, enabled FROM watches WHERE scope = ? AND name = ?',
    );
    this.insertDest = db.prepare<[number, number]>(
      'INSERT OR IGNORE INTO watch_destinations (watch_id, destination_id) VALUES (?, ?)',
    );
  }

  /** Enabled watches only: config watches removed from the file are kept disabled and hidden. */
  listWatches(scope?: Scope): WatchRow[] {
    const rows =
      scope === undefined
        ? prepared<[], WatchDbRow>(this.db, `${SELECT_WATCH} WHERE w.enabled = 1 ORDER BY w.id`).all()
        : prepared<[string], WatchDbRow>(
            this.db,
            `${SELECT_WATCH} WHERE w.enabled = 1 AND w.scope = ? ORDER BY w.id`,
          ).all(scope);
    return rows.map(toWatch);
  }

  getWatch(id: number): WatchRow | undefined {
    const r = this.byId.get(id);
    return r ? toWatch(r) : undefined;
  }

  /** Finds a watch by name whether enabled or not (config sync revives disabled ones). */
  findByName(scope: Scope, name: string): { id: number; enabled: boolean } | undefined {
    const r = this.byName.get(scope, name);
    return r ? { id: r.id, enabled: r.enabled === 1 } : undefined;
  }

  addWatch(input: NewWatch): WatchRow {
    return this.db.transaction(() => {
      if (this.byName.get(input.scope, input.name))
        throw new NameTakenError('watch', input.scope, input.name);
      const id = Number(
        prepared(
          this.db,
          `INSERT INTO watches (scope, name, query, feed_ids, paused, mention_role_id, color, created_at)
             VALUES (@scope, @name, @query, @feedIds, @paused, @mentionRoleId, @color, @createdAt)`,
        ).run({
          scope: input.scope,
          name: input.name,
          query: input.query,
          feedIds: input.feedIds === null ? null : JSON.stringify(input.feedIds),
          paused: input.paused ? 1 : 0,
          mentionRoleId: input.mentionRoleId,
          color: input.color,
          createdAt: ms(this.now()),
        }).lastInsertRowid,
      );
      this.setDestinations(id, input.destinationIds);
      return this.getWatch(id) as WatchRow;
    })();
  }

  updateWatch(id: number, patch: Partial<Pick<WatchRow, 'paused' | 'mutedUntil' | 'query' | 'name'>>): void {
    this.db.transaction(() => {
      const current = prepared<[number], { scope: string }>(
        this.db,
        'SELECT scope FROM watches WHERE id = ?',
      ).get(id);
      if (!current) return;
      if (patch.name !== undefined) {
        const other = this.byName.get(current.scope, patch.name);
        if (other && other.id !== id) throw new NameTakenError('watch', current.scope, patch.name);
      }
      const columns: Record<string, string | number | null> = {};
      if (patch.paused !== undefined) columns.paused = patch.paused ? 1 : 0;
      if (patch.mutedUntil !== undefined) columns.muted_until = msOrNull(patch.mutedUntil);
      if (patch.query !== undefined) columns.query = patch.query;
      if (patch.name !== undefined) columns.name = patch.name;
      const sets = Object.keys(columns).map((c) => `${c} = @${c}`);
      if (sets.length === 0) return;
      prepared(this.db, `UPDATE watches SET ${sets.join(', ')} WHERE id = @id`).run({ ...columns, id });
    })();
  }

  /** Deletes the watch; its destination links and outbox rows go with it (ON DELETE CASCADE). */
  removeWatch(id: number): boolean {
    return prepared(this.db, 'DELETE FROM watches WHERE id = ?').run(id).changes > 0;
  }

  /** Replaces the watch's destination links. */
  setDestinations(watchId: number, destinationIds: number[]): void {
    prepared(this.db, 'DELETE FROM watch_destinations WHERE watch_id = ?').run(watchId);
    for (const d of destinationIds) this.insertDest.run(watchId, d);
  }
}
