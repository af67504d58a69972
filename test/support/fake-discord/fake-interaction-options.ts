import { ApplicationCommandOptionType } from 'discord.js';
import type { FakeCommand, FakeCommandOption } from './fake-command-store.js';
import { channelPayload, memberPayload, rolePayload, userPayload } from './fake-discord-payloads.js';
import type { FakeDiscordState } from './fake-discord-state.js';

/** An attachment option's file; the fake serves its bytes at the attachment's `url` on loopback. */
export interface FakeAttachmentInput {
  filename: string;
  content: string | Buffer;
  contentType?: string;
}

export type FakeOptionValue = string | number | boolean | FakeAttachmentInput;

/** A raw option exactly as Discord sends it, for anything the shorthand cannot express. */
export interface RawInteractionOption {
  name: string;
  type: number;
  value?: string | number | boolean;
  focused?: boolean;
  options?: RawInteractionOption[];
}

export interface AttachmentHost {
  add(file: FakeAttachmentInput): { id: string; url: string; size: number; contentType: string };
}

type ResolvedMap = Record<string, Record<string, unknown>>;

/** Where options come from: the command spec a test wrote. */
export interface OptionSource {
  guildId: string;
  channelId: string;
  subcommandGroup?: string;
  subcommand?: string;
  options?: Record<string, FakeOptionValue> | RawInteractionOption[];
}

/** Turns a test's option shorthand into Discord's nested options and `resolved` data. */
export class InteractionOptionBuilder {
  constructor(
    private readonly state: FakeDiscordState,
    private readonly attachments: AttachmentHost,
  ) {}

  /** Types come from the registered command when there is one, else from the JS values. */
  build(
    source: OptionSource,
    command: FakeCommand | undefined,
    focused: string | undefined,
    userId: string,
  ): { options: RawInteractionOption[]; resolved: Record<string, ResolvedMap> } {
    const resolved: Record<string, ResolvedMap> = {};
    const options = this.buildOptions(source, command, focused, resolved, userId);
    return { options, resolved };
  }

  private buildOptions(
    spec: OptionSource,
    command: FakeCommand | undefined,
    focused: string | undefined,
    resolved: Record<string, ResolvedMap>,
    userId: string,
  ): RawInteractionOption[] {
    let defs = command?.options ?? [];
    if (spec.subcommandGroup !== undefined)
      defs = defs.find((o) => o.name === spec.subcommandGroup)?.options ?? [];
    if (spec.subcommand !== undefined) defs = defs.find((o) => o.name === spec.subcommand)?.options ?? [];
    const leaf = Array.isArray(spec.options)
      ? spec.options
      : Object.entries(spec.options ?? {}).map(([name, value]) =>
          this.option(name, value, defs, name === focused, resolved, spec, userId),
        );
    let options = leaf;
    if (spec.subcommand !== undefined) {
      options = [{ name: spec.subcommand, type: ApplicationCommandOptionType.Subcommand, options }];
    }
    if (spec.subcommandGroup !== undefined) {
      options = [{ name: spec.subcommandGroup, type: ApplicationCommandOptionType.SubcommandGroup, options }];
    }
    return options;
  }

  private option(
    name: string,
    value: FakeOptionValue,
    defs: FakeCommandOption[],
    focused: boolean,
    resolved: Record<string, ResolvedMap>,
    where: OptionSource,
    userId: string,
  ): RawInteractionOption {
    const T = ApplicationCommandOptionType;
    if (typeof value === 'object') {
      const file = this.attachments.add(value);
      (resolved.attachments ??= {})[file.id] = {
        id: file.id,
        filename: value.filename,
        size: file.size,
        url: file.url,
        proxy_url: file.url,
        content_type: file.contentType,
        ephemeral: true,
      };
      return { name, type: T.Attachment, value: file.id };
    }
    const declared = defs.find((d) => d.name === name)?.type;
    const inferred =
      typeof value === 'boolean'
        ? T.Boolean
        : typeof value === 'number'
          ? Number.isInteger(value)
            ? T.Integer
            : T.Number
          : T.String;
    const type = focused ? (declared ?? T.String) : (declared ?? inferred);
    if (!focused) this.resolve(type, String(value), resolved, where, userId);
    // Discord sends the partial text of a focused option as a string, whatever its declared type.
    return { name, type, value: focused ? String(value) : value, ...(focused ? { focused: true } : {}) };
  }

  /** Fills `resolved` the way Discord does; permissions are those of the invoking user (channels) or member. */
  private resolve(
    type: number,
    id: string,
    resolved: Record<string, ResolvedMap>,
    where: OptionSource,
    userId: string,
  ): void {
    const T = ApplicationCommandOptionType;
    const guildId = where.guildId;
    if (type === T.Channel) {
      const channel = this.state.channel(id);
      (resolved.channels ??= {})[id] = channel
        ? { ...channelPayload(channel), permissions: this.state.channelPermissions(id, userId).toString() }
        : { id, name: 'unknown', type: 0, permissions: '0' };
    } else if (type === T.Role) {
      const role = this.state.guild(guildId)?.roles.get(id);
      if (role) (resolved.roles ??= {})[id] = rolePayload(role);
    } else if (type === T.User) {
      const member = this.state.member(guildId, id);
      const user = member?.user ?? { id, username: `user-${id}`, bot: false };
      (resolved.users ??= {})[id] = userPayload(user);
      if (member) {
        const { user: _user, ...rest } = memberPayload(member);
        const perms = this.state.channelPermissions(where.channelId, id);
        (resolved.members ??= {})[id] = { ...rest, permissions: perms.toString() };
      }
    }
  }
}
