import { ApplicationCommandOptionType, ChannelType, InteractionContextType } from 'discord.js';
import type { FeedFailure } from '../../../app/feed-management.js';
import { buildOpml, parseOpml } from '../../../core/opml.js';
import {
  answer,
  checkAlertChannel,
  EPHEMERAL,
  fitMessage,
  MANAGE_GUILD,
  scopeOf,
  when,
  type CommandModule,
} from '../command-context.js';

const T = ApplicationCommandOptionType;
const TEXT_CHANNELS: Array<ChannelType.GuildText | ChannelType.GuildAnnouncement> = [
  ChannelType.GuildText,
  ChannelType.GuildAnnouncement,
];

/** What each failure means to someone who typed a URL. */
export function feedFailureText(failure: FeedFailure): string {
  switch (failure.code) {
    case 'blocked-address':
      return `That address is not allowed: ${failure.message}. wirewatch does not fetch private or internal network addresses.`;
    case 'not-a-feed':
    case 'parse-error':
      return `That URL does not serve a feed wirewatch can read (RSS, Atom or JSON Feed): ${failure.message}.`;
    case 'timeout':
      return `The site did not answer in time (${failure.message}). Try again later, or check the URL.`;
    case 'invalid-url':
      return `That is not a feed URL: ${failure.message}.`;
    case 'dns':
    case 'refused':
    case 'network':
    case 'tls':
      return `Could not reach that site: ${failure.message}.`;
    case 'http-4xx':
    case 'http-5xx':
      return `The site answered with an error: ${failure.message}.`;
    default:
      return failure.message;
  }
}

export const feedCommand: CommandModule = {
  data: {
    name: 'feed',
    description: 'Manage the news feeds this server follows',
    default_member_permissions: MANAGE_GUILD.toString(),
    contexts: [InteractionContextType.Guild],
    options: [
      {
        type: T.Subcommand,
        name: 'add',
        description: 'Follow a feed (it is fetched once to check it)',
        options: [
          { type: T.String, name: 'url', description: 'RSS, Atom or JSON Feed URL', required: true },
          {
            type: T.Channel,
            name: 'channel',
            description: 'Channel told when the feed fails',
            channel_types: TEXT_CHANNELS,
          },
          {
            type: T.String,
            name: 'name',
            description: 'Short name (default: the feed title)',
            max_length: 80,
          },
        ],
      },
      {
        type: T.Subcommand,
        name: 'remove',
        description: 'Stop following a feed',
        options: [
          { type: T.String, name: 'name', description: 'Feed name', required: true, autocomplete: true },
        ],
      },
      { type: T.Subcommand, name: 'list', description: 'Feeds of this server, with their status' },
      {
        type: T.Subcommand,
        name: 'import',
        description: 'Follow every feed of an OPML file (exported from a feed reader)',
        options: [
          { type: T.Attachment, name: 'file', description: 'OPML file', required: true },
          {
            type: T.Channel,
            name: 'channel',
            description: 'Channel told when a feed fails',
            channel_types: TEXT_CHANNELS,
          },
        ],
      },
      { type: T.Subcommand, name: 'export', description: "This server's feeds as an OPML file" },
    ],
  },

  async execute(interaction, services) {
    const scope = scopeOf(interaction.guildId);
    const sub = interaction.options.getSubcommand();
    if (sub === 'add' || sub === 'import') {
      const channelId = interaction.options.getChannel('channel')?.id ?? null;
      if (channelId) {
        const check = checkAlertChannel(interaction, channelId);
        if (!check.ok) return answer(interaction, check.message);
      }
      if (sub === 'add') {
        const url = interaction.options.getString('url', true);
        // Fetching can take longer than the 3 s Discord gives an interaction: acknowledge first.
        await interaction.deferReply({ flags: EPHEMERAL });
        const result = await services.feeds.addFeed({
          scope,
          url,
          name: interaction.options.getString('name'),
          channelId,
        });
        if (!result.ok) return answer(interaction, `❌ Couldn't add the feed. ${feedFailureText(result)}`);
        return answer(
          interaction,
          `✅ Added **${result.title}** as \`${result.name}\` (${result.itemCount} items now). ` +
            'Its current items never alert; new stories will. Next: `/watch add query:…` to get alerts.',
        );
      }
      return importFeeds(interaction, services, channelId);
    }
    if (sub === 'remove') {
      const result = services.feeds.removeFeed(scope, interaction.options.getString('name', true));
      if (!result.ok) return answer(interaction, `❌ ${result.message}`);
      const paused = result.pausedWatches.length
        ? ` Paused watches that followed only this feed: ${result.pausedWatches.map((n) => `\`${n}\``).join(', ')}.`
        : '';
      return answer(interaction, `✅ Removed \`${result.name}\` (${result.url}).${paused}`);
    }
    if (sub === 'list') {
      const feeds = services.feeds.listFeeds(scope, services.failureThreshold);
      if (feeds.length === 0)
        return answer(interaction, 'This server follows no feeds yet. Add one with `/feed add url:…`.');
      const lines = feeds.map((f) => {
        const status = f.status === 'failing' ? '🔴 failing' : f.status === 'ok' ? '🟢 ok' : '⚪ waiting';
        const code = f.lastErrorCode ? ` [${f.lastErrorCode}]` : '';
        const streak = f.consecutiveFailures > 0 ? `, ${f.consecutiveFailures} failures in a row` : '';
        const error = f.lastError
          ? ` · last error ${when(f.lastErrorAt)}${code}: ${f.lastError}${streak}`
          : '';
        const channels = f.channelIds.length ? f.channelIds.map((c) => `<#${c}>`).join(' ') : 'no watch yet';
        return (
          `**${f.name}** — ${f.url}\n  ${status} · last success ${when(f.lastSuccessAt)} · next poll ${when(f.nextPollAt)}` +
          `${error} · alerts to ${channels}`
        );
      });
      return answer(interaction, fitMessage(`**${feeds.length} feeds**\n${lines.join('\n')}`));
    }
    if (sub === 'export') {
      const feeds = services.feeds.exportFeeds(scope);
      const opml = buildOpml(`wirewatch feeds of ${interaction.guild.name}`, feeds, services.clock.now());
      return answer(interaction, `${feeds.length} feeds.`, {
        files: [{ attachment: Buffer.from(opml, 'utf8'), name: 'wirewatch-feeds.opml' }],
      });
    }
  },

  async autocomplete(interaction, services) {
    const typed = String(interaction.options.getFocused());
    const names = services.feeds.suggest(scopeOf(interaction.guildId), typed);
    await interaction.respond(names.map((n) => ({ name: n.slice(0, 100), value: n.slice(0, 100) })));
  },
};

async function importFeeds(
  interaction: Parameters<CommandModule['execute']>[0],
  services: Parameters<CommandModule['execute']>[1],
  channelId: string | null,
): Promise<void> {
  const file = interaction.options.getAttachment('file', true);
  const limit = services.maxImportBytes ?? 1024 * 1024;
  if (file.size > limit)
    return answer(interaction, `❌ That file is too large (over ${limit} bytes) for an OPML list.`);
  await interaction.deferReply({ flags: EPHEMERAL });
  let text: string;
  try {
    const response = await fetch(file.url, { signal: AbortSignal.timeout(15_000) });
    text = await response.text();
  } catch {
    return answer(interaction, '❌ Could not download the attached file from Discord; try again.');
  }
  const parsed = parseOpml(text.slice(0, limit));
  if (!parsed.ok)
    return answer(interaction, `❌ ${parsed.message}. Export an OPML file from your feed reader.`);
  if (parsed.entries.length === 0)
    return answer(interaction, '❌ That OPML file lists no feeds (no outline with an xmlUrl).');
  const results = await services.feeds.importFeeds(scopeOf(interaction.guildId), parsed.entries, channelId);
  const count = (o: string) => results.filter((r) => r.outcome === o).length;
  const icon = { added: '✅', skipped: '↪️', failed: '❌' } as const;
  const lines = results.map((r) => `${icon[r.outcome]} ${r.url} — ${r.detail}`);
  return answer(
    interaction,
    fitMessage(
      `Imported: ${count('added')} added, ${count('skipped')} skipped, ${count('failed')} failed.\n${lines.join('\n')}`,
    ),
  );
}
