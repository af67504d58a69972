import { ApplicationCommandOptionType, ChannelType, InteractionContextType } from 'discord.js';
import type { GuildSettings } from '../../../app/ports.js';
import type { DestinationPolicy } from '../../../app/story-ports.js';
import { answer, fitMessage, MANAGE_GUILD, when, type CommandModule } from '../command-context.js';

const T = ApplicationCommandOptionType;

/** "22:00" → minutes after midnight; null when not HH:MM. */
export function parseClock(text: string): number | null {
  const m = /^([01]?\d|2[0-3])(?::([0-5]\d))?$/.exec(text.trim());
  return m ? Number(m[1]) * 60 + Number(m[2] ?? 0) : null;
}

const hhmm = (minutes: number): string =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

function settingsText(settings: GuildSettings, digestDefault: number): string {
  return [
    `Manager role: ${settings.managerRoleId ? `<@&${settings.managerRoleId}>` : 'none (Manage Server only)'}`,
    `Digest: more than ${settings.digestThreshold ?? digestDefault} alerts from one poll in one channel become one message` +
      (settings.digestThreshold === null ? ' (default)' : ''),
    `Quiet hours: ${settings.quietHours ? `${hhmm(settings.quietHours.start)}–${hhmm(settings.quietHours.end)} UTC (alerts post without pinging)` : 'off'}`,
  ].join('\n');
}

export const wirewatchCommand: CommandModule = {
  data: {
    name: 'wirewatch',
    description: 'Status and settings of wirewatch in this server',
    default_member_permissions: MANAGE_GUILD.toString(),
    contexts: [InteractionContextType.Guild],
    options: [
      { type: T.Subcommand, name: 'status', description: 'Feeds, watches, last poll, alerts today, queue' },
      {
        type: T.SubcommandGroup,
        name: 'settings',
        description: 'Server settings',
        options: [
          { type: T.Subcommand, name: 'show', description: 'Show the settings' },
          {
            type: T.Subcommand,
            name: 'manager-role',
            description: 'Let a role manage wirewatch (leave empty to clear)',
            options: [{ type: T.Role, name: 'role', description: 'The role' }],
          },
          {
            type: T.Subcommand,
            name: 'digest',
            description: 'Alerts from one poll above which a channel gets one digest message',
            options: [
              {
                type: T.Integer,
                name: 'threshold',
                description: '1–50',
                required: true,
                min_value: 1,
                max_value: 50,
              },
            ],
          },
          {
            type: T.Subcommand,
            name: 'quiet-hours',
            description: 'Hours (UTC) when alerts post without pinging; leave empty to turn off',
            options: [
              { type: T.String, name: 'start', description: 'HH:MM UTC, e.g. 22:00' },
              { type: T.String, name: 'end', description: 'HH:MM UTC, e.g. 07:00' },
            ],
          },
          {
            type: T.Subcommand,
            name: 'channel',
            description: 'One channel: quiet hours (alerts held, then one digest) and a rate cap',
            options: [
              {
                type: T.Channel,
                name: 'channel',
                description: 'A channel a watch posts to',
                required: true,
                channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement],
              },
              { type: T.String, name: 'quiet-start', description: 'HH:MM UTC, e.g. 22:00' },
              { type: T.String, name: 'quiet-end', description: 'HH:MM UTC, e.g. 07:00' },
              {
                type: T.Integer,
                name: 'rate-max',
                description: 'At most this many messages…',
                min_value: 1,
                max_value: 100,
              },
              {
                type: T.Integer,
                name: 'rate-minutes',
                description: '…in this many minutes; the rest become one digest',
                min_value: 1,
                max_value: 1440,
              },
              { type: T.Boolean, name: 'clear', description: 'Remove both for this channel' },
            ],
          },
        ],
      },
    ],
  },

  async execute(interaction, services) {
    const guildId = interaction.guildId;
    const group = interaction.options.getSubcommandGroup();
    const sub = interaction.options.getSubcommand();
    if (group === null && sub === 'status') {
      const s = services.guilds.status(guildId);
      const lines = [
        `**wirewatch in ${interaction.guild.name}**`,
        `Feeds: ${s.feeds}${s.failingFeeds.length ? ` (${s.failingFeeds.length} failing: ${s.failingFeeds.map((f) => `\`${f.name}\`${f.error ? ` — ${f.error}` : ''}`).join('; ')})` : ''}`,
        `Watches: ${s.watches}${s.pausedWatches ? ` (${s.pausedWatches} paused)` : ''}`,
        `Last poll: ${when(s.lastPollAt)}`,
        `Alerts sent today: ${s.alertsToday}`,
        `Waiting to be sent: ${s.outboxDepth}`,
      ];
      for (const p of s.pausedChannels) lines.push(`⚠️ Alerts to <#${p.channelId}> are paused: ${p.reason}`);
      for (const n of s.notices) lines.push(`⚠️ ${n.message}`);
      return answer(interaction, fitMessage(lines.join('\n')));
    }
    const digestDefault = services.guilds.status(guildId).digestThreshold;
    if (sub === 'show')
      return answer(interaction, settingsText(services.guilds.settings(guildId), digestDefault));
    if (sub === 'manager-role') {
      const role = interaction.options.getRole('role');
      if (role?.id === guildId) return answer(interaction, '❌ @everyone cannot be the manager role.');
      const s = services.guilds.updateSettings(guildId, { managerRoleId: role?.id ?? null });
      return answer(interaction, `✅ Saved.\n${settingsText(s, digestDefault)}`);
    }
    if (sub === 'digest') {
      const threshold = interaction.options.getInteger('threshold', true);
      const s = services.guilds.updateSettings(guildId, { digestThreshold: threshold });
      return answer(interaction, `✅ Saved.\n${settingsText(s, digestDefault)}`);
    }
    if (sub === 'channel') return channelSettings(interaction, services, guildId);
    if (sub === 'quiet-hours') {
      const startText = interaction.options.getString('start');
      const endText = interaction.options.getString('end');
      if (startText === null && endText === null) {
        const s = services.guilds.updateSettings(guildId, { quietHours: null });
        return answer(interaction, `✅ Quiet hours off.\n${settingsText(s, digestDefault)}`);
      }
      const start = parseClock(startText ?? '');
      const end = parseClock(endText ?? '');
      if (start === null || end === null || start === end) {
        return answer(
          interaction,
          '❌ Give both `start` and `end` as different times in HH:MM (UTC), e.g. 22:00 and 07:00.',
        );
      }
      const s = services.guilds.updateSettings(guildId, { quietHours: { start, end } });
      return answer(interaction, `✅ Saved.\n${settingsText(s, digestDefault)}`);
    }
  },
};

function policyText(channelId: string, p: DestinationPolicy): string {
  const quiet = p.quietHours
    ? `${hhmm(p.quietHours.start)}–${hhmm(p.quietHours.end)} UTC (alerts held, then one digest)`
    : 'off';
  const cap = p.rateCap
    ? `at most ${p.rateCap.max} messages in ${Math.round(p.rateCap.windowSec / 60)} min (the rest as one digest)`
    : 'off';
  return `<#${channelId}> — quiet hours: ${quiet}; rate cap: ${cap}`;
}

type Execute = CommandModule['execute'];

async function channelSettings(
  interaction: Parameters<Execute>[0],
  services: Parameters<Execute>[1],
  guildId: string,
): Promise<void> {
  const channel = interaction.options.getChannel('channel', true);
  const current = services.guilds.channelPolicy(guildId, channel.id);
  if (!current) {
    return answer(
      interaction,
      `❌ No watch posts to <#${channel.id}> yet: add one with \`/watch add\` first.`,
    );
  }
  const patch: Partial<DestinationPolicy> = {};
  if (interaction.options.getBoolean('clear')) Object.assign(patch, { quietHours: null, rateCap: null });
  const startText = interaction.options.getString('quiet-start');
  const endText = interaction.options.getString('quiet-end');
  if (startText !== null || endText !== null) {
    const start = parseClock(startText ?? '');
    const end = parseClock(endText ?? '');
    if (start === null || end === null || start === end) {
      return answer(
        interaction,
        '❌ Give both `quiet-start` and `quiet-end` as different times in HH:MM (UTC).',
      );
    }
    patch.quietHours = { start, end };
  }
  const max = interaction.options.getInteger('rate-max');
  const minutes = interaction.options.getInteger('rate-minutes');
  if (max !== null || minutes !== null) {
    if (max === null || minutes === null) {
      return answer(interaction, '❌ Give both `rate-max` and `rate-minutes`, e.g. 5 and 10.');
    }
    patch.rateCap = { max, windowSec: minutes * 60 };
  }
  if (Object.keys(patch).length === 0) return answer(interaction, policyText(channel.id, current));
  const saved = services.guilds.setChannelPolicy(guildId, channel.id, patch) ?? current;
  return answer(interaction, `✅ Saved.\n${policyText(channel.id, saved)}`);
}
