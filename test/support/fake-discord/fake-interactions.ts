import { ApplicationCommandType, ComponentType, InteractionType } from 'discord.js';
import type { FakeCommandStore } from './fake-command-store.js';
import { channelPayload, memberPayload, messagePayload, userPayload } from './fake-discord-payloads.js';
import type { FakeDiscordState, FakeUser, PermissionInput } from './fake-discord-state.js';
import { randomToken, snowflake } from './fake-discord-state.js';
import type { FakeFile, FakeMessage, FakeMessageStore } from './fake-message-store.js';
import type { AttachmentHost, FakeOptionValue, RawInteractionOption } from './fake-interaction-options.js';
import { InteractionOptionBuilder } from './fake-interaction-options.js';

export type {
  FakeAttachmentInput,
  FakeOptionValue,
  RawInteractionOption,
} from './fake-interaction-options.js';

export interface InteractionUserSpec {
  id?: string;
  username?: string;
  /** Role ids; the member is added to the guild with them if unknown. */
  roles?: string[];
  /** Overrides `member.permissions`; otherwise computed from roles and overwrites like Discord. */
  permissions?: PermissionInput;
}

interface InteractionBase {
  guildId: string;
  channelId: string;
  user?: InteractionUserSpec;
  locale?: string;
}

export interface CommandInteractionSpec extends InteractionBase {
  kind?: 'command';
  name: string;
  subcommandGroup?: string;
  subcommand?: string;
  /** Name → value; types come from the registered command, else from the JS type (string, integer, number, boolean). */
  options?: Record<string, FakeOptionValue> | RawInteractionOption[];
}

export interface AutocompleteInteractionSpec extends InteractionBase {
  kind: 'autocomplete';
  name: string;
  subcommandGroup?: string;
  subcommand?: string;
  options?: Record<string, FakeOptionValue> | RawInteractionOption[];
  /** The option being typed in; sent with `focused: true` and its value as a string. */
  focused: string;
}

export interface ButtonInteractionSpec extends InteractionBase {
  kind: 'button';
  customId: string;
  /** A message the bot posted (from `discord.messages()`); defaults to a bare bot message in the channel. */
  messageId?: string;
}

export type InteractionSpec = CommandInteractionSpec | AutocompleteInteractionSpec | ButtonInteractionSpec;

export interface FakeInteractionCallback {
  type: number;
  data: Record<string, unknown>;
  files: FakeFile[];
}

/** An interaction sent to the bot and everything the bot answered to it. */
export interface FakeInteraction {
  id: string;
  token: string;
  kind: 'command' | 'autocomplete' | 'button';
  guildId: string;
  channelId: string;
  sentAt: number;
  /** The INTERACTION_CREATE `d` payload as sent. */
  payload: Record<string, unknown>;
  callbacks: FakeInteractionCallback[];
  /** @original: the reply (type 4, or the first edit after a type 5 deferral) or, for buttons, the message updated. */
  original?: FakeMessage;
  followUps: FakeMessage[];
  /** Flags of a type 5 deferral, applied to the reply that follows it (64 = ephemeral). */
  deferredFlags?: number;
  componentMessageId?: string;
}

export class FakeInteractionFactory {
  constructor(
    private readonly state: FakeDiscordState,
    private readonly commands: FakeCommandStore,
    private readonly messages: FakeMessageStore,
    attachments: AttachmentHost,
    private readonly applicationId: string,
  ) {
    this.optionBuilder = new InteractionOptionBuilder(state, attachments);
  }

  private readonly optionBuilder: InteractionOptionBuilder;

  build(spec: InteractionSpec): FakeInteraction {
    const guild = this.state.requireGuild(spec.guildId);
    const channel = this.state.requireChannel(spec.channelId);
    const user: FakeUser = {
      id: spec.user?.id ?? guild.ownerId,
      username: spec.user?.username ?? 'tester',
      bot: false,
    };
    const member = this.state.ensureMember(guild.id, user, spec.user?.roles);
    const memberPermissions =
      spec.user?.permissions === undefined
        ? this.state.channelPermissions(channel.id, user.id)
        : BigInt(spec.user.permissions);
    const id = snowflake();
    const token = randomToken('fake-interaction-token');
    const kind = spec.kind ?? 'command';
    const base: Record<string, unknown> = {
      id,
      application_id: this.applicationId,
      token,
      version: 1,
      guild_id: guild.id,
      guild: { id: guild.id, locale: 'en-US', features: [] },
      channel_id: channel.id,
      channel: channelPayload(channel),
      member: { ...memberPayload(member), permissions: memberPermissions.toString() },
      app_permissions: this.state.channelPermissions(channel.id, this.state.botUser.id).toString(),
      locale: spec.locale ?? 'en-US',
      guild_locale: 'en-US',
      entitlements: [],
      authorizing_integration_owners: { '0': guild.id },
      context: 0,
      attachment_size_limit: 10 * 1024 * 1024,
    };
    let payload: Record<string, unknown>;
    let componentMessageId: string | undefined;
    if (spec.kind === 'button') {
      const message = spec.messageId === undefined ? undefined : this.messages.get(spec.messageId);
      if (spec.messageId !== undefined && !message)
        throw new Error(`fake discord: unknown message ${spec.messageId}`);
      componentMessageId = message?.id;
      payload = {
        ...base,
        type: InteractionType.MessageComponent,
        data: { custom_id: spec.customId, component_type: ComponentType.Button },
        message: message ? messagePayload(this.state, message) : this.bareMessage(channel.id, guild.id),
      };
    } else {
      const command = this.commands.find(spec.name, guild.id);
      const focused = spec.kind === 'autocomplete' ? spec.focused : undefined;
      const { options, resolved } = this.optionBuilder.build(spec, command, focused, user.id);
      payload = {
        ...base,
        type:
          spec.kind === 'autocomplete'
            ? InteractionType.ApplicationCommandAutocomplete
            : InteractionType.ApplicationCommand,
        data: {
          id: command?.id ?? snowflake(),
          name: spec.name,
          type: ApplicationCommandType.ChatInput,
          ...(command?.guild_id ? { guild_id: command.guild_id } : {}),
          options,
          ...(Object.keys(resolved).length > 0 ? { resolved } : {}),
        },
      };
    }
    return {
      id,
      token,
      kind,
      guildId: guild.id,
      channelId: channel.id,
      sentAt: Date.now(),
      payload,
      callbacks: [],
      followUps: [],
      ...(componentMessageId ? { componentMessageId } : {}),
    };
  }

  private bareMessage(channelId: string, guildId: string): Record<string, unknown> {
    const id = snowflake();
    return {
      id,
      type: 0,
      channel_id: channelId,
      guild_id: guildId,
      author: userPayload(this.state.botUser),
      content: '',
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: [],
      components: [],
      pinned: false,
      flags: 0,
    };
  }
}
