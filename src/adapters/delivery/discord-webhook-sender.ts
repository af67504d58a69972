import type { AlertSender, SendResult } from '../../app/ports.js';
import { formatAlertEmbed } from '../../core/alert-format.js';
import { alsoReportedEmbed } from '../../core/also-reported-embed.js';

export interface WebhookSenderOptions {
  /** Per-request deadline. */
  timeoutMs?: number;
  /** A 429 asking to wait at most this long is waited out in place; longer waits go back to the outbox. */
  maxInlineWaitMs?: number;
  userAgent: string;
  sleep?: (ms: number) => Promise<void>;
}

/** Discord's "Unknown Webhook": a 404 that means the webhook, not the message, is gone. */
const UNKNOWN_WEBHOOK = 10015;

/**
 * Posts alerts to a Discord webhook as one embed, and edits that message as other outlets carry its story. The
 * webhook URL is a secret: it never appears in an error message or a log line (errors name the destination, the
 * outbox logs its name).
 */
export function createWebhookSender(options: WebhookSenderOptions): AlertSender {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const maxInlineWaitMs = options.maxInlineWaitMs ?? 10_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const post = (target: string, payload: object): Promise<SendResult> =>
    request('POST', withWait(target), payload);
  const request = async (
    method: 'POST' | 'PATCH',
    url: string | null,
    payload: object,
  ): Promise<SendResult> => {
    if (!url)
      return { ok: false, retry: false, error: 'webhook URL is not a valid URL', disableDestination: true };
    const body = JSON.stringify(payload);
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await fetch(url, {
          method,
          headers: { 'content-type': 'application/json', 'user-agent': options.userAgent },
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        const reason = err instanceof Error && err.name === 'TimeoutError' ? 'timed out' : 'network error';
        return { ok: false, retry: true, error: `webhook request ${reason}` };
      }
      const status = response.status;
      const text = await response.text().catch(() => '');
      if (status >= 200 && status < 300) return { ok: true, remoteId: messageId(text) };
      if (status === 429) {
        const waitMs = retryAfterMs(response, text);
        if (waitMs <= maxInlineWaitMs && attempt < 3) {
          await sleep(waitMs);
          continue;
        }
        return {
          ok: false,
          retry: true,
          error: `rate limited by Discord for ${waitMs} ms`,
          retryAfterMs: waitMs,
        };
      }
      if (status >= 500) return { ok: false, retry: true, error: `Discord answered HTTP ${status}` };
      // Editing an alert a moderator deleted: nothing left to edit, and that is their call.
      if (method === 'PATCH' && status === 404 && discordCode(text) !== UNKNOWN_WEBHOOK)
        return { ok: false, retry: false, error: 'the alert message was deleted' };
      if (status === 404 || status === 401 || status === 403) {
        return {
          ok: false,
          retry: false,
          disableDestination: true,
          error: `webhook ${status === 404 ? 'not found (deleted?)' : 'refused'} (HTTP ${status}): create a new webhook and update the config`,
        };
      }
      return {
        ok: false,
        retry: false,
        error: `Discord rejected the alert (HTTP ${status}): ${discordMessage(text)}`,
      };
    }
  };
  return {
    kind: 'discord-webhook',
    send(destination, row): Promise<SendResult> {
      const alert = row.alert;
      return post(destination.target, {
        embeds: [formatAlertEmbed(alert)],
        ...(alert.mentionRoleId
          ? { content: `<@&${alert.mentionRoleId}>`, allowed_mentions: { roles: [alert.mentionRoleId] } }
          : { allowed_mentions: { parse: [] } }),
      });
    },
    // Another outlet: the alert's message is edited to list every outlet so far (like the bot's messages).
    // A follow-up, or an alert whose message id is unknown, is one line under it; lines never ping anyone.
    sendUpdate(destination, row, update, all): Promise<SendResult> {
      if (update.kind === 'also-reported' && row.remoteId) {
        const reports = all.filter((u) => u.kind === 'also-reported').map((u) => u.report);
        return request('PATCH', messageUrl(destination.target, row.remoteId), {
          embeds: [alsoReportedEmbed(row.alert, reports)],
          allowed_mentions: { parse: [] },
        });
      }
      const r = update.report;
      const name = (r.feedTitle || r.host || 'another feed').replace(/[[\]]/g, '');
      const linked = r.link && /^https?:\/\//i.test(r.link) ? `[${name}](<${r.link}>)` : name;
      const what =
        update.kind === 'follow-up' ? `Update from ${linked}: ${r.title}` : `Also reported by ${linked}`;
      return post(destination.target, {
        content: `↳ ${what} (re: ${row.alert.title})`.slice(0, 2000),
        allowed_mentions: { parse: [] },
      });
    },
  };
}

/** `{webhook}/messages/{id}`, keeping `thread_id` (a webhook posting into a thread edits there too). */
function messageUrl(target: string, messageId: string): string | null {
  try {
    const url = new URL(target);
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/messages/${encodeURIComponent(messageId)}`;
    url.searchParams.delete('wait');
    return url.toString();
  } catch {
    return null;
  }
}

/** `?wait=true` makes Discord answer with the message, whose id lets later updates edit it. */
function withWait(target: string): string | null {
  try {
    const url = new URL(target);
    url.searchParams.set('wait', 'true');
    return url.toString();
  } catch {
    return null;
  }
}

function retryAfterMs(response: Response, text: string): number {
  const header = Number(response.headers.get('retry-after'));
  if (Number.isFinite(header) && header > 0) return Math.ceil(header * 1000);
  try {
    const body = JSON.parse(text) as { retry_after?: number };
    if (typeof body.retry_after === 'number') return Math.ceil(body.retry_after * 1000);
  } catch {
    // no JSON body: fall through to the default
  }
  return 1000;
}

function messageId(text: string): string | null {
  try {
    const body = JSON.parse(text) as { id?: unknown };
    return typeof body.id === 'string' ? body.id : null;
  } catch {
    return null;
  }
}

function discordCode(text: string): number | null {
  try {
    const body = JSON.parse(text) as { code?: unknown };
    return typeof body.code === 'number' ? body.code : null;
  } catch {
    return null;
  }
}

function discordMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown; code?: unknown };
    if (typeof body.message === 'string')
      return `${body.message}${body.code ? ` (code ${String(body.code)})` : ''}`;
  } catch {
    // not JSON
  }
  return text.slice(0, 200) || 'no details';
}
