import { randomBytes } from 'node:crypto';
import { ChannelType, PermissionFlagsBits } from 'discord.js';
import type { FakeThreadMeta } from './fake-threads.js';

/** A permission bitfield as Discord sends it (decimal string) or as discord.js builds it (bigint). */
export type PermissionInput = bigint | string;

export interface FakeRoleSpec {
  id: string;
  name?: string;
  permissions?: PermissionInput;
  position?: number;
  managed?: boolean;
  mentionable?: boolean;
}

export interface FakeOverwriteSpec {
  id: string;
  /** 'role' (0) or 'member' (1), as in Discord's permission_overwrites. */
  type: 'role' | 'member';
  allow?: PermissionInput;
  deny?: PermissionInput;
}

export interface FakeChannelSpec {
  id: string;
  name?: string;
  /** A discord.js `ChannelType`; defaults to GuildText (0). */
  type?: number;
  parentId?: string;
  permissionOverwrites?: FakeOverwriteSpec[];
}

export interface FakeMemberSpec {
  id: string;
  username?: string;
  roles?: string[];
  bot?: boolean;
}

export interface FakeGuildSpec {
  id: string;
  name?: string;
  /** Defaults to the first member, else a generated user who is not the bot. */
  ownerId?: string;
  channels?: FakeChannelSpec[];
  /** The @everyone role has the guild's id; it is added with Discord's defaults when absent. */
  roles?: FakeRoleSpec[];
  members?: FakeMemberSpec[];
  /** Roles the bot's member has (besides @everyone). */
  botRoles?: string[];
  /** Shortcut: gives the bot a managed role with these permissions, as an invite link with permissions does. */
  botPermissions?: PermissionInput;
}

export interface FakeUser {
  id: string;
  username: string;
  bot: boolean;
}

export interface FakeRole {
  id: string;
  name: string;
  permissions: bigint;
  position: number;
  managed: boolean;
  mentionable: boolean;
  botId?: string;
}

export interface FakeOverwrite {
  id: string;
  type: 0 | 1;
  allow: bigint;
  deny: bigint;
}

export interface FakeChannel {
  id: string;
  guildId: string;
  name: string;
  type: number;
  position: number;
  parentId: string | null;
  overwrites: FakeOverwrite[];
  /** Set for threads (types 10–12); their parent is `parentId`. */
  thread?: FakeThreadMeta;
}

export interface FakeMember {
  user: FakeUser;
  roles: string[];
  joinedAt: string;
}

export interface FakeGuild {
  id: string;
  name: string;
  ownerId: string;
  roles: Map<string, FakeRole>;
  channels: Map<string, FakeChannel>;
  members: Map<string, FakeMember>;
}

export const ALL_PERMISSIONS: bigint = Object.values(PermissionFlagsBits).reduce((all, bit) => all | bit, 0n);

const P = PermissionFlagsBits;
/** What Discord gives @everyone in a new server. */
export const DEFAULT_EVERYONE_PERMISSIONS: bigint =
  P.CreateInstantInvite |
  P.AddReactions |
  P.Stream |
  P.ViewChannel |
  P.SendMessages |
  P.EmbedLinks |
  P.AttachFiles |
  P.ReadMessageHistory |
  P.MentionEveryone |
  P.UseExternalEmojis |
  P.Connect |
  P.Speak |
  P.UseVAD |
  P.ChangeNickname |
  P.UseApplicationCommands |
  P.CreatePublicThreads |
  P.CreatePrivateThreads |
  P.UseExternalStickers |
  P.SendMessagesInThreads;

const DISCORD_EPOCH = 1_420_070_400_000n;
let snowflakeCounter = 0n;

/** A real-looking snowflake, so discord.js derives a sensible createdAt from it. */
export function snowflake(now: number = Date.now()): string {
  snowflakeCounter = (snowflakeCounter + 1n) & 0xfffn;
  return (((BigInt(now) - DISCORD_EPOCH) << 22n) | (1n << 17n) | snowflakeCounter).toString();
}

export function randomToken(prefix: string): string {
  return `${prefix}-${randomBytes(24).toString('base64url')}`;
}

export function toBits(value: PermissionInput | undefined, fallback = 0n): bigint {
  return value === undefined ? fallback : BigInt(value);
}

/** Guilds, channels, roles and members, plus Discord's permission arithmetic over them. */
export class FakeDiscordState {
  readonly guilds = new Map<string, FakeGuild>();

  constructor(readonly botUser: FakeUser) {}

  addGuild(spec: FakeGuildSpec): FakeGuild {
    const joinedAt = new Date().toISOString();
    const guild: FakeGuild = {
      id: spec.id,
      name: spec.name ?? `Guild ${spec.id}`,
      ownerId: spec.ownerId ?? spec.members?.[0]?.id ?? snowflake(),
      roles: new Map(),
      channels: new Map(),
      members: new Map(),
    };
    guild.roles.set(guild.id, {
      id: guild.id,
      name: '@everyone',
      permissions: DEFAULT_EVERYONE_PERMISSIONS,
      position: 0,
      managed: false,
      mentionable: false,
    });
    (spec.roles ?? []).forEach((role, index) => {
      guild.roles.set(role.id, {
        id: role.id,
        name: role.id === guild.id ? '@everyone' : (role.name ?? `role-${role.id}`),
        permissions: toBits(role.permissions, role.id === guild.id ? DEFAULT_EVERYONE_PERMISSIONS : 0n),
        position: role.id === guild.id ? 0 : (role.position ?? index + 1),
        managed: role.managed ?? false,
        mentionable: role.mentionable ?? false,
      });
    });
    const botRoles = [...(spec.botRoles ?? [])];
    if (spec.botPermissions !== undefined) {
      const id = snowflake();
      guild.roles.set(id, {
        id,
        name: this.botUser.username,
        permissions: toBits(spec.botPermissions),
        position: guild.roles.size,
        managed: true,
        mentionable: false,
        botId: this.botUser.id,
      });
      botRoles.push(id);
    }
    spec.channels?.forEach((channel, index) => this.putChannel(guild, channel, index));
    for (const member of spec.members ?? []) {
      guild.members.set(member.id, {
        user: { id: member.id, username: member.username ?? `user-${member.id}`, bot: member.bot ?? false },
        roles: member.roles ?? [],
        joinedAt,
      });
    }
    guild.members.set(this.botUser.id, { user: this.botUser, roles: botRoles, joinedAt });
    this.guilds.set(guild.id, guild);
    return guild;
  }

  putChannel(guild: FakeGuild, spec: FakeChannelSpec, position = guild.channels.size): FakeChannel {
    const channel: FakeChannel = {
      id: spec.id,
      guildId: guild.id,
      name: spec.name ?? `channel-${spec.id}`,
      type: spec.type ?? ChannelType.GuildText,
      position,
      parentId: spec.parentId ?? null,
      overwrites: (spec.permissionOverwrites ?? []).map((o) => ({
        id: o.id,
        type: o.type === 'member' ? 1 : 0,
        allow: toBits(o.allow),
        deny: toBits(o.deny),
      })),
    };
    guild.channels.set(channel.id, channel);
    return channel;
  }

  guild(guildId: string): FakeGuild | undefined {
    return this.guilds.get(guildId);
  }

  channel(channelId: string): FakeChannel | undefined {
    for (const guild of this.guilds.values()) {
      const channel = guild.channels.get(channelId);
      if (channel) return channel;
    }
    return undefined;
  }

  member(guildId: string, userId: string): FakeMember | undefined {
    return this.guilds.get(guildId)?.members.get(userId);
  }

  /** Adds a member on the fly so interactions from unknown users still resolve. */
  ensureMember(guildId: string, user: FakeUser, roles: string[] = []): FakeMember {
    const guild = this.requireGuild(guildId);
    let member = guild.members.get(user.id);
    if (!member) {
      member = { user, roles, joinedAt: new Date().toISOString() };
      guild.members.set(user.id, member);
    }
    return member;
  }

  requireGuild(guildId: string): FakeGuild {
    const guild = this.guilds.get(guildId);
    if (!guild) throw new Error(`fake discord: unknown guild ${guildId}`);
    return guild;
  }

  requireChannel(channelId: string): FakeChannel {
    const channel = this.channel(channelId);
    if (!channel) throw new Error(`fake discord: unknown channel ${channelId}`);
    return channel;
  }

  /** Guild-level permissions, as Discord computes them. */
  basePermissions(guildId: string, userId: string): bigint {
    const guild = this.requireGuild(guildId);
    if (guild.ownerId === userId) return ALL_PERMISSIONS;
    let perms = guild.roles.get(guild.id)?.permissions ?? 0n;
    for (const roleId of guild.members.get(userId)?.roles ?? [])
      perms |= guild.roles.get(roleId)?.permissions ?? 0n;
    return perms & P.Administrator ? ALL_PERMISSIONS : perms;
  }

  /** Channel permissions: base, then @everyone, role and member overwrites, in Discord's order. */
  channelPermissions(channelId: string, userId: string): bigint {
    const asked = this.requireChannel(channelId);
    // A thread has no overwrites of its own: its parent's permissions apply.
    const channel = asked.thread && asked.parentId ? this.requireChannel(asked.parentId) : asked;
    let perms = this.basePermissions(channel.guildId, userId);
    if (perms & P.Administrator) return ALL_PERMISSIONS;
    const memberRoles = new Set(this.member(channel.guildId, userId)?.roles ?? []);
    const everyone = channel.overwrites.find((o) => o.type === 0 && o.id === channel.guildId);
    if (everyone) perms = (perms & ~everyone.deny) | everyone.allow;
    let allow = 0n;
    let deny = 0n;
    for (const o of channel.overwrites) {
      if (o.type === 0 && memberRoles.has(o.id)) {
        allow |= o.allow;
        deny |= o.deny;
      }
    }
    perms = (perms & ~deny) | allow;
    const own = channel.overwrites.find((o) => o.type === 1 && o.id === userId);
    if (own) perms = (perms & ~own.deny) | own.allow;
    return perms & P.ViewChannel ? perms : 0n;
  }

  botCan(channelId: string, permission: bigint): boolean {
    return (this.channelPermissions(channelId, this.botUser.id) & permission) === permission;
  }
}
