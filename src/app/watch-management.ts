import { compileQuery, matchQuery, QuerySyntaxError, type CompiledQuery } from '../core/query/index.js';
import { stableHash } from '../core/stable-hash.js';
import { sameName, uniqueName } from './feed-management.js';
import type { Clock, Scope, Store, StoredItem, WatchRow } from './ports.js';
import type { WatchRegistry } from './watch-registry.js';

export interface WatchManagementDeps {
  store: Store;
  watches: WatchRegistry;
  clock: Clock;
  limits: { watchesPerServer: number };
}

export type WatchFailureCode = 'query-syntax' | 'limit-reached' | 'name-taken' | 'unknown-feed' | 'not-found';

export interface WatchFailure {
  ok: false;
  code: WatchFailureCode;
  message: string;
  /** For a syntax error: the query and a caret under the column. */
  caret?: string;
}

export interface Preview {
  /** Items of the last 7 days the query matches. */
  count: number;
  /** Up to 3 of them, newest first, with their matched terms. */
  examples: Array<{ item: StoredItem; feedTitle: string; terms: string[] }>;
  /** How many items were tried. */
  scanned: number;
}

export type AddWatchResult = { ok: true; watch: WatchRow; preview: Preview } | WatchFailure;

export const PREVIEW_DAYS = 7;

/** A colour per watch (stable across restarts) so a channel with several watches tells them apart. */
const PALETTE = [0x3498db, 0xe67e22, 0x2ecc71, 0x9b59b6, 0xe74c3c, 0x1abc9c, 0xf1c40f, 0x95a5a6];

/** What servers do with watches: add with a preview, list, remove, pause, resume, mute, and test a query. */
export class WatchManagement {
  constructor(private readonly deps: WatchManagementDeps) {}

  addWatch(input: {
    scope: Scope;
    query: string;
    name?: string | null;
    channelId: string;
    channelName?: string;
    /** Feed names of the scope; none means every feed of the scope. */
    feedNames?: string[];
    mentionRoleId?: string | null;
  }): AddWatchResult {
    const { store } = this.deps;
    const compiled = compile(input.query);
    if (!compiled.ok) return compiled;
    const existing = store.listWatches(input.scope);
    if (existing.length >= this.deps.limits.watchesPerServer) {
      return fail(
        'limit-reached',
        `This server has reached its limit of ${this.deps.limits.watchesPerServer} watches; remove one with /watch remove first.`,
      );
    }
    const wanted = input.name?.trim() || null;
    if (wanted && existing.some((w) => sameName(w.name, wanted))) {
      return fail(
        'name-taken',
        `A watch named "${wanted}" already exists in this server; choose another name.`,
      );
    }
    let feedIds: number[] | null = null;
    if (input.feedNames && input.feedNames.length > 0) {
      const subs = store.listSubscriptions(input.scope);
      feedIds = [];
      for (const feedName of input.feedNames) {
        const sub = subs.find((s) => sameName(s.name, feedName));
        if (!sub)
          return fail('unknown-feed', `No feed named "${feedName}" in this server; /feed list shows them.`);
        feedIds.push(sub.feedId);
      }
    }
    const name =
      wanted ??
      uniqueName(
        input.query.trim().slice(0, 60),
        existing.map((w) => w.name),
      );
    const destination = store.ensureDestination({
      scope: input.scope,
      name: `#${input.channelName ?? input.channelId}`,
      kind: 'discord-channel',
      target: input.channelId,
    });
    // The caller checked that the bot may post there now: a channel paused after losing access is back.
    if (!destination.enabled) store.enableDestination(destination.id);
    const watch = store.addWatch({
      scope: input.scope,
      name,
      query: input.query.trim(),
      feedIds,
      destinationIds: [destination.id],
      mentionRoleId: input.mentionRoleId ?? null,
      color: PALETTE[Number.parseInt(stableHash(name).slice(0, 6), 16) % PALETTE.length] ?? null,
    });
    this.deps.watches.upsert(watch);
    return { ok: true, watch, preview: this.preview(input.scope, compiled.query, feedIds) };
  }

  /** Runs a query against the scope's recent items without saving anything. */
  testQuery(scope: Scope, query: string): { ok: true; preview: Preview } | WatchFailure {
    const compiled = compile(query);
    return compiled.ok ? { ok: true, preview: this.preview(scope, compiled.query, null) } : compiled;
  }

  listWatches(scope: Scope): Array<WatchRow & { channelIds: string[]; feedNames: string[] | null }> {
    const { store } = this.deps;
    const destinations = new Map(store.listDestinations(scope).map((d) => [d.id, d]));
    const feedNames = new Map(store.listSubscriptions(scope).map((s) => [s.feedId, s.name]));
    return store.listWatches(scope).map((w) => ({
      ...w,
      channelIds: w.destinationIds.flatMap((id) => {
        const d = destinations.get(id);
        return d?.kind === 'discord-channel' ? [d.target] : [];
      }),
      feedNames: w.feedIds ? w.feedIds.map((id) => feedNames.get(id) ?? `#${id}`) : null,
    }));
  }

  removeWatch(scope: Scope, name: string): { ok: true; watch: WatchRow } | WatchFailure {
    const watch = this.find(scope, name);
    if (!watch) return notFound(name);
    this.deps.store.removeWatch(watch.id);
    this.deps.watches.remove(watch.id);
    return { ok: true, watch };
  }

  /** Pauses by name, or by id from a button (checked against the scope: a server never touches another's watch). */
  pauseWatch(scope: Scope, ref: string | number): { ok: true; watch: WatchRow } | WatchFailure {
    return this.patch(scope, ref, { paused: true });
  }

  resumeWatch(scope: Scope, ref: string | number): { ok: true; watch: WatchRow } | WatchFailure {
    return this.patch(scope, ref, { paused: false, mutedUntil: null });
  }

  muteWatch(scope: Scope, ref: string | number, until: Date): { ok: true; watch: WatchRow } | WatchFailure {
    return this.patch(scope, ref, { mutedUntil: until });
  }

  suggest(scope: Scope, typed: string): string[] {
    const t = typed.toLowerCase();
    return this.deps.store
      .listWatches(scope)
      .map((w) => w.name)
      .filter((n) => n.toLowerCase().includes(t))
      .slice(0, 25);
  }

  private patch(
    scope: Scope,
    ref: string | number,
    patch: Partial<Pick<WatchRow, 'paused' | 'mutedUntil'>>,
  ): { ok: true; watch: WatchRow } | WatchFailure {
    const found = typeof ref === 'number' ? this.deps.store.getWatch(ref) : this.find(scope, ref);
    if (!found || found.scope !== scope) return notFound(String(ref));
    this.deps.store.updateWatch(found.id, patch);
    const watch = this.deps.store.getWatch(found.id) ?? found;
    this.deps.watches.upsert(watch);
    return { ok: true, watch };
  }

  private find(scope: Scope, name: string): WatchRow | undefined {
    return this.deps.store.listWatches(scope).find((w) => sameName(w.name, name));
  }

  private preview(scope: Scope, query: CompiledQuery, feedIds: number[] | null): Preview {
    const { store } = this.deps;
    const ids = feedIds ?? store.listSubscriptions(scope).map((s) => s.feedId);
    const since = new Date(this.deps.clock.now().getTime() - PREVIEW_DAYS * 24 * 3600_000);
    const items = ids.length === 0 ? [] : store.recentItems(since, ids);
    const titles = new Map<number, string>();
    const titleOf = (feedId: number): string => {
      let t = titles.get(feedId);
      if (t === undefined) {
        const feed = store.getFeed(feedId);
        t = feed?.title ?? feed?.url ?? '';
        titles.set(feedId, t);
      }
      return t;
    };
    let count = 0;
    const examples: Preview['examples'] = [];
    for (const item of items) {
      const feedTitle = titleOf(item.feedId);
      const { matched, hits } = matchQuery(query, { ...item, feedTitle });
      if (!matched) continue;
      count++;
      if (examples.length < 3)
        examples.push({ item, feedTitle, terms: [...new Set(hits.map((h) => h.term))] });
    }
    return { count, examples, scanned: items.length };
  }
}

function compile(query: string): { ok: true; query: CompiledQuery } | WatchFailure {
  try {
    return { ok: true, query: compileQuery(query) };
  } catch (err) {
    if (err instanceof QuerySyntaxError) {
      return { ok: false, code: 'query-syntax', message: err.message, caret: err.caret() };
    }
    throw err;
  }
}

function fail(code: WatchFailureCode, message: string): WatchFailure {
  return { ok: false, code, message };
}

function notFound(name: string): WatchFailure {
  return fail('not-found', `No watch named "${name}" in this server; /watch list shows them.`);
}
