import type { FeedProblem } from '../core/feed-types.js';
import { guildIdOf } from './guild-admin.js';
import type { Clock, FeedRow, Scope, Store } from './ports.js';

/** A plain message for one Discord channel. */
export interface ChannelNotice {
  guildId: string;
  channelId: string;
  content: string;
}

export const feedNoticeKey = (feedId: number): string => `feed-failing:${feedId}`;

/**
 * The messages for a feed that became failing or recovered: one per Discord server subscribed to it, to the
 * channel the server named for the feed's notices (else the channels its watches post this feed's alerts in).
 * The failing notice is recorded per server, so each server is told once (and /wirewatch status lists it); the
 * recovery message goes only to servers that were told, and clears the record.
 */
export function feedHealthNotices(
  deps: { store: Store; clock: Clock },
  feed: FeedRow,
  change: 'failing' | 'recovered',
  problem: FeedProblem | null,
): ChannelNotice[] {
  const { store } = deps;
  const key = feedNoticeKey(feed.id);
  const notices: ChannelNotice[] = [];
  for (const sub of store.subscriptionsOf(feed.id)) {
    const guildId = guildIdOf(sub.scope);
    if (!guildId) continue;
    let content: string;
    if (change === 'failing') {
      const reason = problem ? ` (${problem.code}: ${problem.message})` : '';
      // Recorded without the icon, as /wirewatch status prefixes its notices with one.
      const message =
        `The feed **${sub.name}** (${feed.url}) is failing: its last ${feed.consecutiveFailures + 1} ` +
        `polls did not work${reason}. wirewatch keeps retrying it; no alerts come from it until it recovers.`;
      if (!store.recordNotice(guildId, key, message, deps.clock.now())) continue;
      content = `⚠️ ${message}`;
    } else {
      if (!store.listNotices(guildId).some((n) => n.key === key)) continue;
      store.clearNotice(guildId, key);
      content = `✅ The feed **${sub.name}** (${feed.url}) works again; its new stories are matched as before.`;
    }
    for (const channelId of noticeChannels(store, sub.scope, feed.id, sub.channelId)) {
      notices.push({ guildId, channelId, content });
    }
  }
  return notices;
}

function noticeChannels(store: Store, scope: Scope, feedId: number, own: string | null): string[] {
  if (own) return [own];
  const destinations = new Map(store.listDestinations(scope).map((d) => [d.id, d]));
  const channels = new Set<string>();
  for (const watch of store.listWatches(scope)) {
    if (watch.feedIds && !watch.feedIds.includes(feedId)) continue;
    for (const id of watch.destinationIds) {
      const d = destinations.get(id);
      if (d?.kind === 'discord-channel' && d.enabled) channels.add(d.target);
    }
  }
  return [...channels];
}
