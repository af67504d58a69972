import type Database from 'better-sqlite3';
import type { GuildNotice, GuildSettings, Scope } from '../../app/ports.js';
import { ms } from './row-mappers.js';
import { prepared } from './statement-cache.js';

interface SettingsDbRow {
  guild_id: string;
  manager_role_id: string | null;
  digest_threshold: number | null;
  quiet_start: number | null;
  quiet_end: number | null;
}

/** Discord server settings, one-time notices, and the clean-up when a server or channel goes away. */
export class GuildQueries {
  constructor(private readonly db: Database.Database) {}

  getGuildSettings(guildId: string): GuildSettings {
    const r = prepared<[string], SettingsDbRow>(
      this.db,
      'SELECT * FROM guild_settings WHERE guild_id = ?',
    ).get(guildId);
    return {
      guildId,
      managerRoleId: r?.manager_role_id ?? null,
      digestThreshold: r?.digest_threshold ?? null,
      quietHours:
        r && r.quiet_start !== null && r.quiet_end !== null
          ? { start: r.quiet_start, end: r.quiet_end }
          : null,
    };
  }

  updateGuildSettings(
    guildId: string,
    patch: Partial<Omit<GuildSettings, 'guildId'>>,
    at: Date,
  ): GuildSettings {
    const next = { ...this.getGuildSettings(guildId), ...patch };
    prepared(
      this.db,
      `INSERT INTO guild_settings (guild_id, manager_role_id, digest_threshold, quiet_start, quiet_end, updated_at)
         VALUES (@guildId, @managerRoleId, @digestThreshold, @quietStart, @quietEnd, @at)
         ON CONFLICT (guild_id) DO UPDATE SET manager_role_id = @managerRoleId,
           digest_threshold = @digestThreshold, quiet_start = @quietStart, quiet_end = @quietEnd, updated_at = @at`,
    ).run({
      guildId,
      managerRoleId: next.managerRoleId,
      digestThreshold: next.digestThreshold,
      quietStart: next.quietHours?.start ?? null,
      quietEnd: next.quietHours?.end ?? null,
      at: ms(at),
    });
    return next;
  }

  recordNotice(guildId: string, key: string, message: string, at: Date): boolean {
    return (
      prepared(
        this.db,
        `INSERT OR IGNORE INTO guild_notices (guild_id, notice_key, message, created_at) VALUES (?, ?, ?, ?)`,
      ).run(guildId, key, message, ms(at)).changes > 0
    );
  }

  listNotices(guildId: string): GuildNotice[] {
    return prepared<[string], { notice_key: string; message: string; created_at: number }>(
      this.db,
      'SELECT * FROM guild_notices WHERE guild_id = ? ORDER BY created_at, notice_key',
    )
      .all(guildId)
      .map((r) => ({ key: r.notice_key, message: r.message, createdAt: new Date(r.created_at) }));
  }

  clearNotice(guildId: string, key: string): void {
    prepared(this.db, 'DELETE FROM guild_notices WHERE guild_id = ? AND notice_key = ?').run(guildId, key);
  }

  removeScope(scope: Scope, reason: string): { feeds: number; watchIds: number[] } {
    return this.db.transaction(() => {
      const watchIds = prepared<[string], { id: number }>(this.db, 'SELECT id FROM watches WHERE scope = ?')
        .all(scope)
        .map((r) => r.id);
      // Watches go with their outbox rows (ON DELETE CASCADE): nobody is left to read those alerts.
      prepared(this.db, 'DELETE FROM watches WHERE scope = ?').run(scope);
      const feeds = prepared(this.db, 'DELETE FROM feed_subscriptions WHERE scope = ?').run(scope).changes;
      const destinations = prepared<[string], { id: number }>(
        this.db,
        'SELECT id FROM destinations WHERE scope = ? AND enabled = 1',
      ).all(scope);
      for (const d of destinations) this.disable(d.id, reason);
      if (scope.startsWith('guild:')) {
        const guildId = scope.slice('guild:'.length);
        prepared(this.db, 'DELETE FROM guild_settings WHERE guild_id = ?').run(guildId);
        prepared(this.db, 'DELETE FROM guild_notices WHERE guild_id = ?').run(guildId);
      }
      return { feeds, watchIds };
    })();
  }

  detachDestination(id: number, reason: string): void {
    this.db.transaction(() => {
      this.disable(id, reason);
      prepared(this.db, 'DELETE FROM watch_destinations WHERE destination_id = ?').run(id);
    })();
  }

  setWatchFeeds(watchId: number, feedIds: number[] | null): void {
    prepared(this.db, 'UPDATE watches SET feed_ids = ? WHERE id = ?').run(
      feedIds === null ? null : JSON.stringify(feedIds),
      watchId,
    );
  }

  countDelivered(scope: Scope, since: Date): number {
    const r = prepared<[string, number], { n: number }>(
      this.db,
      `SELECT count(*) AS n FROM outbox o JOIN destinations d ON d.id = o.destination_id
         WHERE d.scope = ? AND o.status = 'delivered' AND o.delivered_at >= ?`,
    ).get(scope, ms(since));
    return r?.n ?? 0;
  }

  outboxDepthFor(scope: Scope): number {
    const r = prepared<[string], { n: number }>(
      this.db,
      `SELECT count(*) AS n FROM outbox o JOIN destinations d ON d.id = o.destination_id
         WHERE d.scope = ? AND o.status = 'pending' AND d.enabled = 1`,
    ).get(scope);
    return r?.n ?? 0;
  }

  private disable(id: number, reason: string): void {
    prepared(this.db, 'UPDATE destinations SET enabled = 0, disabled_reason = ? WHERE id = ?').run(
      reason,
      id,
    );
    prepared(
      this.db,
      `UPDATE outbox SET status = 'failed', last_error = ? WHERE destination_id = ? AND status = 'pending'`,
    ).run(`destination disabled: ${reason}`, id);
  }
}
