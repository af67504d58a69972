/** A file part of a multipart request (`files[n]`), kept whole so tests can read it back. */
export interface FakeFile {
  field: string;
  filename: string;
  contentType: string;
  size: number;
  data: Buffer;
}

/** Who a message actually pings once Discord applies `allowed_mentions` to its content (embeds never ping). */
export interface FakePings {
  everyone: boolean;
  roles: string[];
  users: string[];
}

export interface FakeMessage {
  id: string;
  channelId: string;
  guildId?: string;
  content: string;
  embeds: Record<string, unknown>[];
  components: unknown[];
  allowedMentions?: Record<string, unknown>;
  nonce?: string | number;
  enforceNonce: boolean;
  flags: number;
  attachments: FakeFile[];
  pings: FakePings;
  createdAt: number;
  editedAt?: number;
  /** The JSON body that created it (payload_json for multipart). */
  body: Record<string, unknown>;
  /** Every PATCH body applied to it, in order. */
  edits: Record<string, unknown>[];
  /** Set for interaction replies and follow-ups. */
  interactionId?: string;
  webhookId?: string;
  deleted: boolean;
}

export interface NewMessage {
  channelId: string;
  guildId?: string;
  body: Record<string, unknown>;
  files: FakeFile[];
  interactionId?: string;
  webhookId?: string;
}

function asArray<T>(value: unknown): T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}

/** Whether the author may ping @everyone/@here and a given role in a channel (Mention Everyone, mentionable roles). */
export interface PingRights {
  everyone: boolean;
  role(roleId: string): boolean;
}

const ALL_RIGHTS: PingRights = { everyone: true, role: () => true };

/** Applies Discord's allowed_mentions rules: absent means parse everything; present means only what it allows. */
export function computePings(
  content: string,
  allowed: Record<string, unknown> | undefined,
  rights: PingRights = ALL_RIGHTS,
): FakePings {
  const parse = allowed ? asArray<string>(allowed.parse) : ['everyone', 'roles', 'users'];
  const allowedRoles = new Set(allowed ? asArray<string>(allowed.roles) : []);
  const allowedUsers = new Set(allowed ? asArray<string>(allowed.users) : []);
  const roleIds = [...content.matchAll(/<@&(\d+)>/g)].map((m) => m[1] ?? '');
  const userIds = [...content.matchAll(/<@!?(\d+)>/g)].map((m) => m[1] ?? '');
  return {
    everyone: /@(everyone|here)\b/.test(content) && parse.includes('everyone') && rights.everyone,
    roles: [
      ...new Set(
        roleIds.filter((id) => (parse.includes('roles') || allowedRoles.has(id)) && rights.role(id)),
      ),
    ],
    users: [...new Set(userIds.filter((id) => parse.includes('users') || allowedUsers.has(id)))],
  };
}

/** Messages the bot created, per channel, with Discord's enforce_nonce deduplication. */
export class FakeMessageStore {
  private readonly byId = new Map<string, FakeMessage>();
  private readonly ordered: FakeMessage[] = [];

  constructor(
    private readonly newId: () => string,
    private readonly now: () => number,
    private readonly nonceWindowMs: number,
    private readonly pingRights: (channelId: string) => PingRights = () => ALL_RIGHTS,
  ) {}

  /** Returns the existing message instead of a new one when enforce_nonce matches a recent nonce, as Discord does. */
  create(input: NewMessage): { message: FakeMessage; duplicate: boolean } {
    const { body } = input;
    const nonce = body.nonce as string | number | undefined;
    const enforceNonce = body.enforce_nonce === true;
    // Only channel messages are deduplicated; interaction replies are tied to their interaction token instead.
    if (enforceNonce && nonce !== undefined && input.interactionId === undefined) {
      const since = this.now() - this.nonceWindowMs;
      const existing = this.ordered.find(
        (m) =>
          m.interactionId === undefined &&
          m.channelId === input.channelId &&
          m.nonce !== undefined &&
          String(m.nonce) === String(nonce) &&
          m.createdAt >= since,
      );
      if (existing) return { message: existing, duplicate: true };
    }
    const content = typeof body.content === 'string' ? body.content : '';
    const allowedMentions = body.allowed_mentions as Record<string, unknown> | undefined;
    const message: FakeMessage = {
      id: this.newId(),
      channelId: input.channelId,
      ...(input.guildId ? { guildId: input.guildId } : {}),
      content,
      embeds: asArray<Record<string, unknown>>(body.embeds),
      components: asArray<unknown>(body.components),
      ...(allowedMentions ? { allowedMentions } : {}),
      ...(nonce === undefined ? {} : { nonce }),
      enforceNonce,
      flags: typeof body.flags === 'number' ? body.flags : 0,
      attachments: input.files,
      pings: computePings(content, allowedMentions, this.pingRights(input.channelId)),
      createdAt: this.now(),
      body,
      edits: [],
      ...(input.interactionId ? { interactionId: input.interactionId } : {}),
      ...(input.webhookId ? { webhookId: input.webhookId } : {}),
      deleted: false,
    };
    this.byId.set(message.id, message);
    this.ordered.push(message);
    return { message, duplicate: false };
  }

  /** PATCH semantics: fields present in the body replace the stored ones. */
  edit(message: FakeMessage, body: Record<string, unknown>, files: FakeFile[]): FakeMessage {
    if (typeof body.content === 'string' || body.content === null) message.content = body.content ?? '';
    if ('embeds' in body) message.embeds = asArray(body.embeds);
    if ('components' in body) message.components = asArray(body.components);
    if (typeof body.flags === 'number') message.flags = body.flags;
    if ('allowed_mentions' in body)
      message.allowedMentions = body.allowed_mentions as Record<string, unknown>;
    if (files.length > 0 || 'attachments' in body) {
      const kept = asArray<{ id?: unknown }>(body.attachments).length > 0 ? message.attachments : [];
      message.attachments = [...kept, ...files];
    }
    message.pings = computePings(
      message.content,
      message.allowedMentions,
      this.pingRights(message.channelId),
    );
    message.editedAt = this.now();
    message.edits.push(body);
    return message;
  }

  get(id: string): FakeMessage | undefined {
    return this.byId.get(id);
  }

  /** Channel messages in creation order; interaction replies are not included. */
  inChannel(channelId: string): FakeMessage[] {
    return this.ordered.filter(
      (m) => m.channelId === channelId && !m.deleted && m.interactionId === undefined,
    );
  }

  all(): FakeMessage[] {
    return [...this.ordered];
  }
}
