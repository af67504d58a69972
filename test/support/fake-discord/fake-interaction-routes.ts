import type { Route, RouteRequest, RouteResult } from './fake-discord-server.js';
import { messagePayload } from './fake-discord-payloads.js';
import type { FakeDiscordState } from './fake-discord-state.js';
import type { FakeInteraction } from './fake-interactions.js';
import type { FakeFile, FakeMessage, FakeMessageStore } from './fake-message-store.js';
import { validateMessageBody } from './fake-message-validation.js';

export interface InteractionRouteDeps {
  state: FakeDiscordState;
  messages: FakeMessageStore;
  interactions: Map<string, FakeInteraction>;
  applicationId: string;
  /** Discord drops an interaction not acknowledged within 3 s; 0 turns the check off. */
  ackTimeoutMs: number;
}

const CALLBACK = {
  Pong: 1,
  Reply: 4,
  DeferReply: 5,
  DeferUpdate: 6,
  Update: 7,
  Autocomplete: 8,
  Modal: 9,
} as const;

function error(status: number, code: number, message: string): RouteResult {
  return { status, body: { code, message } };
}

const unknownInteraction = error(404, 10062, 'Unknown interaction');
const unknownWebhook = error(404, 10015, 'Unknown Webhook');
const unknownMessage = error(404, 10008, 'Unknown Message');

function objectBody(req: RouteRequest): Record<string, unknown> {
  return req.body !== null && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
}

/** Interaction callbacks and the interaction webhook (replies, edits, follow-ups); none of them take a bot token. */
export function interactionRoutes(deps: InteractionRouteDeps): Route[] {
  const { state, messages, interactions } = deps;

  const newMessage = (
    i: FakeInteraction,
    body: Record<string, unknown>,
    files: FakeFile[],
    flags: number,
  ): FakeMessage =>
    messages.create({
      channelId: i.channelId,
      guildId: i.guildId,
      body: { ...body, flags },
      files,
      interactionId: i.id,
      webhookId: deps.applicationId,
    }).message;

  const byToken = (appId: string, token: string): FakeInteraction | undefined =>
    appId === deps.applicationId ? [...interactions.values()].find((i) => i.token === token) : undefined;

  const componentMessage = (i: FakeInteraction): FakeMessage | undefined =>
    i.componentMessageId === undefined ? undefined : messages.get(i.componentMessageId);

  const callback = (req: RouteRequest): RouteResult => {
    const [id = '', token = ''] = req.params;
    const interaction = interactions.get(id);
    if (!interaction || interaction.token !== token) return unknownInteraction;
    if (deps.ackTimeoutMs > 0 && Date.now() - interaction.sentAt > deps.ackTimeoutMs)
      return unknownInteraction;
    if (interaction.callbacks.length > 0)
      return error(400, 40060, 'Interaction has already been acknowledged.');
    const body = objectBody(req);
    const type = Number(body.type);
    const data = (body.data ?? {}) as Record<string, unknown>;
    if (type === CALLBACK.Reply || type === CALLBACK.Update) {
      const invalid = validateMessageBody(
        data,
        req.files.length,
        type === CALLBACK.Reply ? 'create' : 'edit',
      );
      if (invalid) return invalid;
    }
    interaction.callbacks.push({ type, data, files: req.files });
    const flags = typeof data.flags === 'number' ? data.flags : 0;
    if (type === CALLBACK.Reply) interaction.original = newMessage(interaction, data, req.files, flags);
    if (type === CALLBACK.DeferReply) interaction.deferredFlags = flags;
    if (type === CALLBACK.Update) {
      const target = componentMessage(interaction);
      interaction.original = target
        ? messages.edit(target, data, req.files)
        : newMessage(interaction, data, req.files, flags);
    }
    if (req.query.get('with_response') !== 'true') return { status: 204 };
    const message = interaction.original;
    return {
      status: 200,
      body: {
        interaction: {
          id: interaction.id,
          type: interaction.payload.type,
          ...(message ? { response_message_id: message.id } : {}),
          response_message_loading: type === CALLBACK.DeferReply,
          response_message_ephemeral: ((message?.flags ?? flags) & 64) === 64,
        },
        resource: { type, ...(message ? { message: messagePayload(state, message) } : {}) },
      },
    };
  };

  const findMessage = (i: FakeInteraction, messageId: string): FakeMessage | undefined =>
    messageId === '@original' ? i.original : i.followUps.find((m) => m.id === messageId);

  const getMessage = (req: RouteRequest): RouteResult => {
    const [appId = '', token = '', messageId = ''] = req.params;
    const interaction = byToken(appId, token);
    if (!interaction) return unknownWebhook;
    const message = findMessage(interaction, messageId);
    return message && !message.deleted
      ? { status: 200, body: messagePayload(state, message) }
      : unknownMessage;
  };

  const editMessage = (req: RouteRequest): RouteResult => {
    const [appId = '', token = '', messageId = ''] = req.params;
    const interaction = byToken(appId, token);
    if (!interaction) return unknownWebhook;
    const body = objectBody(req);
    const invalid = validateMessageBody(body, req.files.length, 'edit');
    if (invalid) return invalid;
    let message = findMessage(interaction, messageId);
    const target = componentMessage(interaction);
    if (
      !message &&
      messageId === '@original' &&
      interaction.callbacks[0]?.type === CALLBACK.DeferUpdate &&
      target
    ) {
      // After a deferred update, @original is the message the button sits on.
      interaction.original = messages.edit(target, body, req.files);
      return { status: 200, body: messagePayload(state, interaction.original) };
    }
    if (!message && messageId === '@original' && interaction.deferredFlags !== undefined) {
      // The first edit after a deferral is what the user sees as the reply; it keeps the deferral's flags.
      const flags = interaction.deferredFlags | (typeof body.flags === 'number' ? body.flags : 0);
      message = newMessage(interaction, body, req.files, flags);
      interaction.original = message;
      message.edits.push(body);
      return { status: 200, body: messagePayload(state, message) };
    }
    if (!message || message.deleted) return unknownMessage;
    messages.edit(message, body, req.files);
    return { status: 200, body: messagePayload(state, message) };
  };

  const deleteMessage = (req: RouteRequest): RouteResult => {
    const [appId = '', token = '', messageId = ''] = req.params;
    const interaction = byToken(appId, token);
    if (!interaction) return unknownWebhook;
    const message = findMessage(interaction, messageId);
    if (!message || message.deleted) return unknownMessage;
    message.deleted = true;
    return { status: 204 };
  };

  const followUp = (req: RouteRequest): RouteResult => {
    const [appId = '', token = ''] = req.params;
    const interaction = byToken(appId, token);
    if (!interaction || interaction.callbacks.length === 0) return unknownWebhook;
    const body = objectBody(req);
    const invalid = validateMessageBody(body, req.files.length, 'create');
    if (invalid) return invalid;
    const message = newMessage(interaction, body, req.files, typeof body.flags === 'number' ? body.flags : 0);
    interaction.followUps.push(message);
    return req.query.get('wait') === 'false'
      ? { status: 204 }
      : { status: 200, body: messagePayload(state, message) };
  };

  const hook = '^/webhooks/(\\d+)/([^/]+)';
  const msg = '/messages/(@original|\\d+)$';
  return [
    {
      method: 'POST',
      pattern: /^\/interactions\/(\d+)\/([^/]+)\/callback$/,
      handler: callback,
      noAuth: true,
    },
    { method: 'GET', pattern: new RegExp(hook + msg), handler: getMessage, noAuth: true },
    { method: 'PATCH', pattern: new RegExp(hook + msg), handler: editMessage, noAuth: true },
    { method: 'DELETE', pattern: new RegExp(hook + msg), handler: deleteMessage, noAuth: true },
    { method: 'POST', pattern: new RegExp(`${hook}$`), handler: followUp, noAuth: true },
  ];
}
