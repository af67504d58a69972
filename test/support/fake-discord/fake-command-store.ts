/** Registered application commands, global and per guild, as Discord stores them (ids kept across overwrites by name). */

export type FakeCommand = Record<string, unknown> & {
  id: string;
  application_id: string;
  name: string;
  type: number;
  version: string;
  guild_id?: string;
  options?: FakeCommandOption[];
};

export interface FakeCommandOption {
  type: number;
  name: string;
  options?: FakeCommandOption[];
  [key: string]: unknown;
}

const GLOBAL = 'global';

export class FakeCommandStore {
  private readonly scopes = new Map<string, FakeCommand[]>();

  constructor(
    private readonly applicationId: string,
    private readonly newId: () => string,
  ) {}

  /** PUT: replaces the whole set; a command keeps its id when one with the same name and type existed. */
  overwrite(guildId: string | undefined, bodies: Record<string, unknown>[]): FakeCommand[] {
    const previous = this.list(guildId);
    const next = bodies.map((body) => this.build(guildId, body, previous));
    this.scopes.set(guildId ?? GLOBAL, next);
    return next;
  }

  /** POST: creates or replaces the command with the same name and type. */
  upsert(
    guildId: string | undefined,
    body: Record<string, unknown>,
  ): { command: FakeCommand; created: boolean } {
    const list = this.list(guildId);
    const command = this.build(guildId, body, list);
    const index = list.findIndex((c) => c.id === command.id);
    if (index >= 0) list[index] = command;
    else list.push(command);
    this.scopes.set(guildId ?? GLOBAL, list);
    return { command, created: index < 0 };
  }

  remove(guildId: string | undefined, commandId: string): boolean {
    const list = this.list(guildId);
    const kept = list.filter((c) => c.id !== commandId);
    this.scopes.set(guildId ?? GLOBAL, kept);
    return kept.length !== list.length;
  }

  list(guildId?: string): FakeCommand[] {
    return [...(this.scopes.get(guildId ?? GLOBAL) ?? [])];
  }

  /** The command a user would see in this guild: a guild command shadows a global one of the same name. */
  find(name: string, guildId?: string): FakeCommand | undefined {
    const inGuild = guildId ? this.list(guildId).find((c) => c.name === name) : undefined;
    return inGuild ?? this.list().find((c) => c.name === name);
  }

  private build(
    guildId: string | undefined,
    body: Record<string, unknown>,
    existing: FakeCommand[],
  ): FakeCommand {
    const name = String(body.name);
    const type = typeof body.type === 'number' ? body.type : 1;
    const id = existing.find((c) => c.name === name && c.type === type)?.id ?? this.newId();
    return {
      default_member_permissions: null,
      dm_permission: true,
      nsfw: false,
      description: '',
      ...body,
      id,
      application_id: this.applicationId,
      name,
      type,
      version: this.newId(),
      ...(guildId ? { guild_id: guildId } : {}),
    };
  }
}

const NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function optionErrors(options: unknown, errors: Record<string, unknown>, path: string): void {
  if (!Array.isArray(options)) return;
  if (options.length > 25) errors[`${path}options`] = 'Must be 25 or fewer in length.';
  let seenOptional = false;
  options.forEach((raw: Record<string, unknown>, i) => {
    const at = `${path}options.${i}.`;
    const name = String(raw.name ?? '');
    if (!NAME.test(name) || name !== name.toLowerCase()) errors[`${at}name`] = 'Invalid name.';
    const description = String(raw.description ?? '');
    if (description.length < 1 || description.length > 100)
      errors[`${at}description`] = 'Must be between 1 and 100 in length.';
    if (Array.isArray(raw.choices) && raw.choices.length > 25)
      errors[`${at}choices`] = 'Must be 25 or fewer in length.';
    if (raw.required === true && seenOptional)
      errors[`${at}required`] = 'Required options must be placed before non-required options.';
    if (raw.required !== true && raw.type !== 1 && raw.type !== 2) seenOptional = true;
    optionErrors(raw.options, errors, at);
  });
}

/** Discord's main checks on a command body; answers 50035 with the failing fields (flattened) or undefined. */
export function validateCommand(
  body: Record<string, unknown>,
): { status: number; body: Record<string, unknown> } | undefined {
  const errors: Record<string, unknown> = {};
  const name = String(body.name ?? '');
  const type = typeof body.type === 'number' ? body.type : 1;
  if (type === 1 && (!NAME.test(name) || name !== name.toLowerCase())) errors.name = 'Invalid name.';
  const description = String(body.description ?? '');
  if (type === 1 && (description.length < 1 || description.length > 100))
    errors.description = 'Must be between 1 and 100 in length.';
  optionErrors(body.options, errors, '');
  if (Object.keys(errors).length === 0) return undefined;
  return { status: 400, body: { code: 50035, message: 'Invalid Form Body', errors } };
}
