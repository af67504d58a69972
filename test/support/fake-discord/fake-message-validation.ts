/** Discord's message limits, answered with the same error codes, so a bot that breaks them fails here as it would live. */

export interface DiscordErrorResponse {
  status: number;
  body: { code: number; message: string; errors?: Record<string, unknown> };
}

type ErrorTree = Record<string, unknown>;

function tooLong(max: number): { _errors: { code: string; message: string }[] } {
  return { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` }] };
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

const EMBED_TEXT_LIMITS: [string, number][] = [
  ['title', 256],
  ['description', 4096],
];

function embedErrors(embed: Record<string, unknown>): { errors: ErrorTree; size: number } {
  const errors: ErrorTree = {};
  let size = 0;
  for (const [key, max] of EMBED_TEXT_LIMITS) {
    const value = text(embed[key]);
    size += value.length;
    if (value.length > max) errors[key] = tooLong(max);
  }
  const footer = (embed.footer ?? {}) as Record<string, unknown>;
  size += text(footer.text).length;
  if (text(footer.text).length > 2048) errors.footer = { text: tooLong(2048) };
  const author = (embed.author ?? {}) as Record<string, unknown>;
  size += text(author.name).length;
  if (text(author.name).length > 256) errors.author = { name: tooLong(256) };
  const fields = Array.isArray(embed.fields) ? (embed.fields as Record<string, unknown>[]) : [];
  if (fields.length > 25) errors.fields = tooLong(25);
  const fieldErrors: ErrorTree = {};
  fields.forEach((field, i) => {
    const name = text(field.name);
    const value = text(field.value);
    size += name.length + value.length;
    const e: ErrorTree = {};
    if (name.length > 256) e.name = tooLong(256);
    if (value.length > 1024) e.value = tooLong(1024);
    if (Object.keys(e).length > 0) fieldErrors[String(i)] = e;
  });
  if (Object.keys(fieldErrors).length > 0) errors.fields = fieldErrors;
  return { errors, size };
}

function invalidFormBody(errors: ErrorTree): DiscordErrorResponse {
  return { status: 400, body: { code: 50035, message: 'Invalid Form Body', errors } };
}

/** Returns the error Discord would answer for this message body, or undefined when it is acceptable. */
export function validateMessageBody(
  body: Record<string, unknown>,
  fileCount: number,
  mode: 'create' | 'edit',
): DiscordErrorResponse | undefined {
  const errors: ErrorTree = {};
  const content = body.content;
  if (typeof content === 'string' && content.length > 2000) errors.content = tooLong(2000);
  const nonce = body.nonce;
  if (typeof nonce === 'string' && nonce.length > 25) errors.nonce = tooLong(25);
  const embeds = Array.isArray(body.embeds) ? (body.embeds as Record<string, unknown>[]) : [];
  if (embeds.length > 10) errors.embeds = tooLong(10);
  let totalSize = 0;
  const embedTree: ErrorTree = {};
  embeds.forEach((embed, i) => {
    const { errors: e, size } = embedErrors(embed);
    totalSize += size;
    if (Object.keys(e).length > 0) embedTree[String(i)] = e;
  });
  if (Object.keys(embedTree).length > 0) errors.embeds = embedTree;
  else if (totalSize > 6000) {
    errors.embeds = {
      _errors: [{ code: 'MAX_EMBED_SIZE_EXCEEDED', message: 'Embed size exceeds maximum size of 6000' }],
    };
  }
  const allowed = body.allowed_mentions as Record<string, unknown> | undefined;
  const parse = Array.isArray(allowed?.parse) ? (allowed.parse as string[]) : [];
  for (const kind of ['roles', 'users'] as const) {
    if (parse.includes(kind) && Array.isArray(allowed?.[kind]) && (allowed[kind] as unknown[]).length > 0) {
      errors.allowed_mentions = {
        _errors: [
          {
            code: 'SET_TYPE_ALREADY_CONTAINS_VALUE',
            message: `parse:["${kind}"] and ${kind}: [ids] are mutually exclusive.`,
          },
        ],
      };
    }
  }
  if (Object.keys(errors).length > 0) return invalidFormBody(errors);
  const hasContent = typeof content === 'string' && content.length > 0;
  const hasComponents = Array.isArray(body.components) && body.components.length > 0;
  const hasStickers = Array.isArray(body.sticker_ids) && body.sticker_ids.length > 0;
  if (
    mode === 'create' &&
    !hasContent &&
    embeds.length === 0 &&
    !hasComponents &&
    !hasStickers &&
    fileCount === 0
  ) {
    return { status: 400, body: { code: 50006, message: 'Cannot send an empty message' } };
  }
  return undefined;
}
