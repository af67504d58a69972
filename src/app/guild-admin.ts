import type { Clock, DestinationRow, GuildNotice, GuildSettings, Log, Scope, Store } from './ports.js';
import type { DestinationPolicy } from './story-ports.js';
import type { WatchRegistry } from './watch-registry.js';

export interface GuildAdminDeps {
  store: Store;
  watches: WatchRegistry;
  clock: Clock;
  log: Log;
  /** Config default used when a server set none. */
  digestThreshold: number;
  failureThreshold: number;
}

export interface GuildStatus {
  feeds: number;
  failingFeeds: Array<{ name: string; error: string | null }>;
  watches: number;
  pausedWatches: number;
  lastPollAt: Date | null;
  alertsToday: number;
  outboxDepth: number;
  /** Channels where delivery is paused (the bot lost access), with the reason. */
  pausedChannels: Array<{ channelId: string; reason: string }>;
  notices: GuildNotice[];
  settings: GuildSettings;
  digestThreshold: number;
}

export const guildScope = (guildId: string): Scope => `guild:${guildId}`;

/** Server-wide matters: status, settings, and what happens when the bot loses a channel or leaves a server. */
export class GuildAdmin {
  constructor(private readonly deps: GuildAdminDeps) {}

  status(guildId: string): GuildStatus {
    const { store } = this.deps;
    const scope = guildScope(guildId);
    const subs = store.listSubscriptions(scope);
    const feeds = subs.flatMap((s) => {
      const f = store.getFeed(s.feedId);
      return f ? [{ sub: s, feed: f }] : [];
    });
    const polls = feeds
      .flatMap(({ feed }) => [feed.lastSuccessAt, feed.lastErrorAt])
      .filter((d) => d !== null);
    const watches = store.listWatches(scope);
    const now = this.deps.clock.now();
    const midnight = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    const settings = store.getGuildSettings(guildId);
    return {
      feeds: subs.length,
      failingFeeds: feeds
        .filter(({ feed }) => feed.consecutiveFailures >= this.deps.failureThreshold)
        .map(({ sub, feed }) => ({ name: sub.name, error: feed.lastErrorMessage })),
      watches: watches.length,
      pausedWatches: watches.filter((w) => w.paused).length,
      lastPollAt: polls.length ? new Date(Math.max(...polls.map((d) => d.getTime()))) : null,
      alertsToday: store.countDelivered(scope, midnight),
      outboxDepth: store.outboxDepthFor(scope),
      pausedChannels: store
        .listDestinations(scope)
        .filter((d) => d.kind === 'discord-channel' && !d.enabled)
        .map((d) => ({ channelId: d.target, reason: d.disabledReason ?? 'paused' })),
      notices: store.listNotices(guildId),
      settings,
      digestThreshold: settings.digestThreshold ?? this.deps.digestThreshold,
    };
  }

  settings(guildId: string): GuildSettings {
    return this.deps.store.getGuildSettings(guildId);
  }

  updateSettings(guildId: string, patch: Partial<Omit<GuildSettings, 'guildId'>>): GuildSettings {
    return this.deps.store.updateGuildSettings(guildId, patch, this.deps.clock.now());
  }

  /** Digest threshold for a destination: its server's setting, else the config default. */
  digestThresholdFor(destination: DestinationRow): number {
    const guildId = guildIdOf(destination.scope);
    const own = guildId ? this.deps.store.getGuildSettings(guildId).digestThreshold : null;
    return own ?? this.deps.digestThreshold;
  }

  /** Whether alerts to this destination should not ping right now (the server's quiet hours, UTC). */
  isQuiet(destination: DestinationRow, at: Date = this.deps.clock.now()): boolean {
    const guildId = guildIdOf(destination.scope);
    const quiet = guildId ? this.deps.store.getGuildSettings(guildId).quietHours : null;
    if (!quiet) return false;
    const minute = at.getUTCHours() * 60 + at.getUTCMinutes();
    return quiet.start <= quiet.end
      ? minute >= quiet.start && minute < quiet.end
      : minute >= quiet.start || minute < quiet.end;
  }

  /**
   * The bot may no longer post in a channel (Missing Access / Missing Permissions): delivery there pauses (the
   * deliverer disables the destination) and the server is told once. Returns the notice text when it is new.
   */
  accessLost(destination: DestinationRow, reason: string): string | null {
    const guildId = guildIdOf(destination.scope);
    this.deps.log.warn(
      { destinationId: destination.id, channelId: destination.target, scope: destination.scope, reason },
      'paused alerts to a Discord channel: the bot lost access',
    );
    if (!guildId) return null;
    const message =
      `wirewatch can no longer post alerts in <#${destination.target}> (${reason}). Alerts to it are paused: ` +
      'give the bot View Channel, Send Messages and Embed Links there, then run /watch resume.';
    const fresh = this.deps.store.recordNotice(
      guildId,
      `access:${destination.target}`,
      message,
      this.deps.clock.now(),
    );
    return fresh ? message : null;
  }

  /** Called when a channel is usable again (a watch was added or resumed there). */
  accessRestored(destination: DestinationRow): void {
    const guildId = guildIdOf(destination.scope);
    if (guildId) this.deps.store.clearNotice(guildId, `access:${destination.target}`);
  }

  channelDestinations(guildId: string, channelId: string): DestinationRow[] {
    return this.deps.store
      .listDestinations(guildScope(guildId))
      .filter((d) => d.kind === 'discord-channel' && d.target === channelId);
  }

  /** A channel's quiet hours and rate cap (null: none set); null when no watch posts there. */
  channelPolicy(guildId: string, channelId: string): DestinationPolicy | null {
    const destination = this.channelDestinations(guildId, channelId)[0];
    return destination ? this.deps.store.getDestinationPolicy(destination.id) : null;
  }

  /** Sets a channel's quiet hours and/or rate cap; null when no watch posts there yet. */
  setChannelPolicy(
    guildId: string,
    channelId: string,
    patch: Partial<DestinationPolicy>,
  ): DestinationPolicy | null {
    const destinations = this.channelDestinations(guildId, channelId);
    let result: DestinationPolicy | null = null;
    for (const d of destinations) {
      result = this.deps.store.updateDestinationPolicy(d.id, patch, this.deps.clock.now());
    }
    return result;
  }

  /** The bot can post in the channel again (checked by the caller): alerts to it resume. */
  reenable(destination: DestinationRow): void {
    if (!destination.enabled) this.deps.store.enableDestination(destination.id);
    this.accessRestored(destination);
  }

  /** Unknown Channel: the channel was deleted; its subscriptions go. */
  channelGone(destination: DestinationRow): void {
    // A watch that posted only to this channel can never alert again: it goes with the channel, as the server's
    // other subscriptions to that channel do, instead of matching forever for nobody.
    const orphaned = this.deps.store
      .listWatches(destination.scope)
      .filter((w) => w.destinationIds.length === 1 && w.destinationIds[0] === destination.id);
    this.deps.store.detachDestination(destination.id, 'the channel no longer exists');
    for (const watch of orphaned) {
      this.deps.store.removeWatch(watch.id);
      this.deps.watches.remove(watch.id);
    }
    this.deps.log.warn(
      {
        destinationId: destination.id,
        channelId: destination.target,
        scope: destination.scope,
        removedWatches: orphaned.map((w) => w.name),
      },
      'removed alerts to a deleted Discord channel',
    );
  }

  /** The bot left (or was removed from) a server: everything of that server goes. */
  leaveGuild(guildId: string): { feeds: number; watches: number } {
    const { feeds, watchIds } = this.deps.store.removeScope(guildScope(guildId), 'the bot left the server');
    for (const id of watchIds) this.deps.watches.remove(id);
    this.deps.log.info(
      { guildId, feeds, watches: watchIds.length },
      'left a Discord server; removed its subscriptions',
    );
    return { feeds, watches: watchIds.length };
  }
}

export function guildIdOf(scope: Scope): string | null {
  return scope.startsWith('guild:') ? scope.slice('guild:'.length) : null;
}
