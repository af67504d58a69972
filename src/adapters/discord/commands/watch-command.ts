import {
  ApplicationCommandOptionType,
  ChannelType,
  InteractionContextType,
  PermissionFlagsBits,
} from 'discord.js';
import type { Preview, WatchFailure } from '../../../app/watch-management.js';
import {
  answer,
  checkAlertChannel,
  fitMessage,
  MANAGE_GUILD,
  scopeOf,
  when,
  type CommandModule,
  type GuildCommand,
} from '../command-context.js';
import type { BotServices } from '../command-context.js';

const T = ApplicationCommandOptionType;

const nameOption = (description: string) => ({
  type: ApplicationCommandOptionType.String as const,
  name: 'name',
  description,
  required: true,
  autocomplete: true as const,
});

function failureText(failure: WatchFailure): string {
  if (failure.code === 'query-syntax') {
    return `❌ That query has a syntax error: ${failure.message}\n\`\`\`\n${failure.caret ?? ''}\n\`\`\``;
  }
  return `❌ ${failure.message}`;
}

export function previewText(preview: Preview): string {
  if (preview.scanned === 0) return 'No stored items from the last 7 days to try it on yet.';
  const head = `It would have matched **${preview.count}** of ${preview.scanned} items from the last 7 days.`;
  const lines = preview.examples.map(
    ({ item, feedTitle, terms }) =>
      `• ${item.link ? `[${item.title.replace(/[[\]]/g, '')}](<${item.link}>)` : item.title} — ${feedTitle}` +
      ` (${terms.join(', ')})`,
  );
  return [head, ...lines].join('\n');
}

export const watchCommand: CommandModule = {
  data: {
    name: 'watch',
    description: 'Keyword watches that post alerts',
    default_member_permissions: MANAGE_GUILD.toString(),
    contexts: [InteractionContextType.Guild],
    options: [
      {
        type: T.Subcommand,
        name: 'add',
        description: 'Alert a channel when a story matches a query',
        options: [
          {
            type: T.String,
            name: 'query',
            description: 'e.g. NATO AND ("South Korea" OR Seoul)',
            required: true,
            max_length: 1000,
          },
          { type: T.String, name: 'name', description: 'Short name (default: the query)', max_length: 80 },
          {
            type: T.Channel,
            name: 'channel',
            description: 'Where alerts go (default: this channel)',
            channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement],
          },
          {
            type: T.String,
            name: 'feeds',
            description: 'Feed names, comma-separated (default: all feeds of this server)',
            autocomplete: true,
          },
          { type: T.Role, name: 'mention', description: 'Role to ping with each alert' },
        ],
      },
      { type: T.Subcommand, name: 'list', description: 'Watches of this server' },
      {
        type: T.Subcommand,
        name: 'remove',
        description: 'Delete a watch',
        options: [nameOption('Watch name')],
      },
      {
        type: T.Subcommand,
        name: 'pause',
        description: 'Stop alerts from a watch',
        options: [nameOption('Watch name')],
      },
      {
        type: T.Subcommand,
        name: 'resume',
        description: 'Resume a paused or muted watch',
        options: [nameOption('Watch name')],
      },
      {
        type: T.Subcommand,
        name: 'test',
        description: 'Try a query on recent stories without saving it',
        options: [
          { type: T.String, name: 'query', description: 'The query', required: true, max_length: 1000 },
        ],
      },
    ],
  },

  async execute(interaction, services) {
    const scope = scopeOf(interaction.guildId);
    const sub = interaction.options.getSubcommand();
    if (sub === 'add') return addWatch(interaction, services);
    if (sub === 'test') {
      const result = services.watches.testQuery(scope, interaction.options.getString('query', true));
      return answer(interaction, result.ok ? fitMessage(previewText(result.preview)) : failureText(result));
    }
    if (sub === 'list') {
      const watches = services.watches.listWatches(scope);
      if (watches.length === 0)
        return answer(interaction, 'No watches yet. Add one with `/watch add query:…`.');
      const now = services.clock.now();
      const lines = watches.map((w) => {
        const state = w.paused
          ? '⏸️ paused'
          : w.mutedUntil && w.mutedUntil > now
            ? `🔕 muted until ${when(w.mutedUntil, 'f')}`
            : '▶️ active';
        const feeds = w.feedNames ? w.feedNames.join(', ') : 'all feeds';
        const to = w.channelIds.map((c) => `<#${c}>`).join(' ') || 'no channel';
        const mention = w.mentionRoleId ? ` · pings <@&${w.mentionRoleId}>` : '';
        return `**${w.name}** — \`${w.query}\`\n  ${state} · ${feeds} → ${to}${mention}`;
      });
      return answer(interaction, fitMessage(`**${watches.length} watches**\n${lines.join('\n')}`));
    }
    const name = interaction.options.getString('name', true);
    if (sub === 'remove') {
      const r = services.watches.removeWatch(scope, name);
      return answer(interaction, r.ok ? `✅ Removed watch \`${r.watch.name}\`.` : failureText(r));
    }
    if (sub === 'pause') {
      const r = services.watches.pauseWatch(scope, name);
      return answer(
        interaction,
        r.ok ? `⏸️ Paused \`${r.watch.name}\`. \`/watch resume\` turns it back on.` : failureText(r),
      );
    }
    if (sub === 'resume') return resumeWatch(interaction, services, name);
  },

  async autocomplete(interaction, services) {
    const scope = scopeOf(interaction.guildId);
    const focused = interaction.options.getFocused(true);
    if (focused.name === 'feeds') {
      // Completes the last comma-separated name, keeping those already typed.
      const parts = String(focused.value).split(',');
      const last = (parts.pop() ?? '').trim();
      const prefix = parts.map((p) => p.trim()).filter(Boolean);
      const choices = services.feeds
        .suggest(scope, last)
        .filter((n) => !prefix.includes(n))
        .map((n) => [...prefix, n].join(', '))
        .filter((v) => v.length <= 100);
      return interaction.respond(choices.map((v) => ({ name: v, value: v })));
    }
    const names = services.watches.suggest(scope, String(focused.value));
    return interaction.respond(names.map((n) => ({ name: n.slice(0, 100), value: n.slice(0, 100) })));
  },
};

async function addWatch(interaction: GuildCommand, services: BotServices): Promise<void> {
  const channelId = interaction.options.getChannel('channel')?.id ?? interaction.channelId;
  const channel = checkAlertChannel(interaction, channelId);
  if (!channel.ok) return answer(interaction, `❌ ${channel.message}`);
  const role = interaction.options.getRole('mention');
  if (role && role.id === interaction.guildId) {
    return answer(interaction, '❌ Alerts never ping @everyone; choose a role.');
  }
  const feeds = interaction.options.getString('feeds');
  const result = services.watches.addWatch({
    scope: scopeOf(interaction.guildId),
    query: interaction.options.getString('query', true),
    name: interaction.options.getString('name'),
    channelId: channel.id,
    channelName: channel.name,
    feedNames: feeds
      ? feeds
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : [],
    mentionRoleId: role?.id ?? null,
  });
  if (!result.ok) return answer(interaction, failureText(result));
  for (const d of services.guilds.channelDestinations(interaction.guildId, channel.id))
    services.guilds.reenable(d);
  const mention = role ? `, pinging <@&${role.id}>` : '';
  // Discord shows a mention of a role nobody may mention without pinging anyone: say so now, not on the first alert.
  const canPing =
    !role ||
    role.mentionable ||
    interaction.guild?.members.me?.permissionsIn(channel.id).has(PermissionFlagsBits.MentionEveryone) ===
      true;
  const silentRole = canPing
    ? ''
    : `\n⚠️ <@&${role.id}> is not mentionable, so alerts will show it without pinging anyone: make the role mentionable (Server Settings → Roles) or give the bot "Mention @everyone, @here and All Roles".`;
  const noFeeds =
    services.feeds.listFeeds(scopeOf(interaction.guildId)).length === 0
      ? '\n⚠️ This server follows no feeds yet: add one with `/feed add url:…`.'
      : '';
  return answer(
    interaction,
    fitMessage(
      `✅ Watch \`${result.watch.name}\` posts to <#${channel.id}>${mention}.\n${previewText(result.preview)}${silentRole}${noFeeds}`,
    ),
  );
}

async function resumeWatch(interaction: GuildCommand, services: BotServices, name: string): Promise<void> {
  const scope = scopeOf(interaction.guildId);
  const found = services.watches
    .listWatches(scope)
    .find((w) => w.name.toLowerCase() === name.trim().toLowerCase());
  // A channel paused because the bot lost access comes back only once the bot can post there again.
  for (const channelId of found?.channelIds ?? []) {
    const check = checkAlertChannel(interaction, channelId);
    if (!check.ok) return answer(interaction, `❌ ${check.message}`);
  }
  const r = services.watches.resumeWatch(scope, name);
  if (!r.ok) return answer(interaction, failureText(r));
  for (const channelId of found?.channelIds ?? []) {
    for (const d of services.guilds.channelDestinations(interaction.guildId, channelId))
      services.guilds.reenable(d);
  }
  return answer(interaction, `▶️ Resumed \`${r.watch.name}\`.`);
}
