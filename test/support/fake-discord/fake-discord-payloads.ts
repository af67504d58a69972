import type {
  FakeChannel,
  FakeDiscordState,
  FakeGuild,
  FakeMember,
  FakeRole,
  FakeUser,
} from './fake-discord-state.js';
import type { FakeMessage } from './fake-message-store.js';
import { threadPayload } from './fake-threads.js';

/** Discord API JSON for the fake's state, complete enough that discord.js caches it without surprises. */

export function userPayload(user: FakeUser): Record<string, unknown> {
  return {
    id: user.id,
    username: user.username,
    discriminator: '0',
    global_name: null,
    avatar: null,
    bot: user.bot,
    system: false,
    flags: 0,
    public_flags: 0,
  };
}

export function rolePayload(role: FakeRole): Record<string, unknown> {
  return {
    id: role.id,
    name: role.name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position: role.position,
    permissions: role.permissions.toString(),
    managed: role.managed,
    mentionable: role.mentionable,
    flags: 0,
    ...(role.botId ? { tags: { bot_id: role.botId } } : {}),
  };
}

export function channelPayload(channel: FakeChannel): Record<string, unknown> {
  if (channel.thread) return threadPayload(channel);
  return {
    id: channel.id,
    type: channel.type,
    guild_id: channel.guildId,
    name: channel.name,
    position: channel.position,
    parent_id: channel.parentId,
    permission_overwrites: channel.overwrites.map((o) => ({
      id: o.id,
      type: o.type,
      allow: o.allow.toString(),
      deny: o.deny.toString(),
    })),
    topic: null,
    nsfw: false,
    last_message_id: null,
    rate_limit_per_user: 0,
    flags: 0,
  };
}

export function memberPayload(member: FakeMember): Record<string, unknown> {
  return {
    user: userPayload(member.user),
    nick: null,
    avatar: null,
    banner: null,
    roles: member.roles,
    joined_at: member.joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    communication_disabled_until: null,
  };
}

/** A GET /guilds/:id guild. */
export function guildPayload(guild: FakeGuild): Record<string, unknown> {
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: guild.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    mfa_level: 0,
    nsfw_level: 0,
    premium_tier: 0,
    premium_subscription_count: 0,
    premium_progress_bar_enabled: false,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    vanity_url_code: null,
    preferred_locale: 'en-US',
    features: [],
    roles: [...guild.roles.values()].map(rolePayload),
    emojis: [],
    stickers: [],
  };
}

/** The GUILD_CREATE dispatch: the guild plus channels, members (incl. the bot) and the other gateway-only fields. */
export function guildCreatePayload(guild: FakeGuild): Record<string, unknown> {
  return {
    ...guildPayload(guild),
    joined_at: guild.members.values().next().value?.joinedAt ?? new Date().toISOString(),
    large: false,
    unavailable: false,
    member_count: guild.members.size,
    voice_states: [],
    members: [...guild.members.values()].map(memberPayload),
    channels: [...guild.channels.values()].filter((c) => !c.thread).map(channelPayload),
    threads: [...guild.channels.values()].filter((c) => c.thread && !c.thread.archived).map(threadPayload),
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

export function messagePayload(state: FakeDiscordState, message: FakeMessage): Record<string, unknown> {
  return {
    id: message.id,
    type: message.interactionId ? 20 : 0,
    channel_id: message.channelId,
    ...(message.guildId ? { guild_id: message.guildId } : {}),
    author: userPayload(state.botUser),
    ...(message.webhookId ? { webhook_id: message.webhookId, application_id: message.webhookId } : {}),
    content: message.content,
    timestamp: new Date(message.createdAt).toISOString(),
    edited_timestamp: message.editedAt === undefined ? null : new Date(message.editedAt).toISOString(),
    tts: false,
    mention_everyone: message.pings.everyone,
    mentions: [],
    mention_roles: message.pings.roles,
    attachments: message.attachments.map((a, index) => ({
      id: `${message.id}${index}`,
      filename: a.filename,
      size: a.size,
      content_type: a.contentType,
      url: `https://cdn.invalid/attachments/${message.channelId}/${message.id}/${a.filename}`,
      proxy_url: `https://cdn.invalid/attachments/${message.channelId}/${message.id}/${a.filename}`,
    })),
    embeds: message.embeds,
    components: message.components,
    pinned: false,
    flags: message.flags,
    ...(message.nonce === undefined ? {} : { nonce: message.nonce }),
  };
}
