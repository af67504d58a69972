import { ChannelType, MessageFlags, PermissionFlagsBits, PermissionsBitField } from 'discord.js';
import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { FeedManagement } from '../../app/feed-management.js';
import type { GuildAdmin } from '../../app/guild-admin.js';
import type { Clock, Log, Scope } from '../../app/ports.js';
import type { WatchManagement } from '../../app/watch-management.js';

/** The use cases the bot drives, built by the runtime. */
export interface BotServices {
  feeds: FeedManagement;
  watches: WatchManagement;
  guilds: GuildAdmin;
  clock: Clock;
  log: Log;
  /** Largest OPML file /feed import accepts, in bytes. */
  maxImportBytes?: number;
  /** Consecutive failures after which /feed list shows a feed as failing (config poll.failureThreshold). */
  failureThreshold?: number;
}

export type GuildCommand = ChatInputCommandInteraction<'cached'>;
export type GuildAutocomplete = AutocompleteInteraction<'cached'>;
export type GuildButton = ButtonInteraction<'cached'>;

/** One slash command: its registration data, its handler, and optionally autocomplete. */
export interface CommandModule {
  data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  execute(interaction: GuildCommand, services: BotServices): Promise<void>;
  autocomplete?(interaction: GuildAutocomplete, services: BotServices): Promise<void>;
}

export const EPHEMERAL = MessageFlags.Ephemeral;
export const MANAGE_GUILD = PermissionFlagsBits.ManageGuild;

export const scopeOf = (guildId: string): Scope => `guild:${guildId}`;

/**
 * Managing wirewatch needs Manage Server, or the role a server named with /wirewatch settings manager-role. Checked
 * here on every use: default_member_permissions is only a default that server admins can change.
 */
export function canManage(
  interaction: GuildCommand | GuildButton | GuildAutocomplete,
  services: BotServices,
): boolean {
  if (interaction.memberPermissions.has(MANAGE_GUILD)) return true;
  const role = services.guilds.settings(interaction.guildId).managerRoleId;
  return role !== null && interaction.member.roles.cache.has(role);
}

export function permissionDenied(services: BotServices, guildId: string): string {
  const role = services.guilds.settings(guildId).managerRoleId;
  return (
    'You need the **Manage Server** permission' +
    (role ? ` or the <@&${role}> role` : '') +
    ' to manage wirewatch in this server.'
  );
}

/** Replies privately, or edits the deferred reply. */
export async function answer(interaction: GuildCommand, content: string, extra: object = {}): Promise<void> {
  const body = { content, allowedMentions: { parse: [] }, ...extra };
  if (interaction.deferred || interaction.replied) await interaction.editReply(body);
  else await interaction.reply({ ...body, flags: EPHEMERAL });
}

const ALERT_PERMISSIONS: Array<[bigint, string]> = [
  [PermissionFlagsBits.ViewChannel, 'View Channel'],
  [PermissionFlagsBits.SendMessages, 'Send Messages'],
  [PermissionFlagsBits.EmbedLinks, 'Embed Links'],
];

/**
 * A channel alerts may go to: a text or announcement channel of this server where the bot can send messages and
 * embeds. Returns what is wrong, in words, otherwise.
 */
export function checkAlertChannel(
  interaction: GuildCommand,
  channelId: string,
): { ok: true; id: string; name: string } | { ok: false; message: string } {
  // discord.js files a resolved channel option under the interaction's guild whatever guild it came from, but a
  // channel it already knew (every channel of every server, with the Guilds intent) keeps its own guildId.
  const channel = interaction.guild.channels.cache.get(channelId);
  if (!channel || channel.guildId !== interaction.guildId) {
    return { ok: false, message: `<#${channelId}> is not a channel of this server.` };
  }
  if (channel.type !== ChannelType.GuildText && channel.type !== ChannelType.GuildAnnouncement) {
    return {
      ok: false,
      message: `Alerts can only go to a text or announcement channel; <#${channelId}> is not one.`,
    };
  }
  const me = interaction.guild.members.me;
  const perms = me ? channel.permissionsFor(me) : new PermissionsBitField();
  const missing = ALERT_PERMISSIONS.filter(([bit]) => !perms.has(bit)).map(([, name]) => name);
  if (missing.length > 0) {
    return {
      ok: false,
      message: `I can't post alerts in <#${channelId}>: I'm missing ${missing.join(', ')} there. Give me those permissions in the channel settings, or choose another channel.`,
    };
  }
  return { ok: true, id: channel.id, name: channel.name };
}

/** Discord timestamp markup, or "never". */
export function when(date: Date | null, style: 'R' | 'f' = 'R'): string {
  return date ? `<t:${Math.floor(date.getTime() / 1000)}:${style}>` : 'never';
}

/** Cuts a reply to Discord's 2000-character message limit. */
export function fitMessage(text: string, max = 2000): string {
  return text.length <= max ? text : `${text.slice(0, max - 2)}…`;
}
