import { ButtonStyle, ComponentType, MessageFlags } from 'discord.js';
import type { OutboxRow } from '../../app/ports.js';
import type { AlertUpdateRow } from '../../app/story-ports.js';
import type { Alert } from '../../core/alert.js';
import { EMBED_LIMITS, escapeMarkdown, formatAlertEmbed, truncate } from '../../core/alert-format.js';
import { alsoReportedEmbed } from '../../core/also-reported-embed.js';

/** custom_id prefixes of the buttons under each alert (read back by the interaction router). */
export const PAUSE_BUTTON = 'ww:pause:';
export const MUTE_BUTTON = 'ww:mute:';

/** The REST body of a channel message (snake_case, as Discord takes it). */
export type MessageBody = Record<string, unknown>;

function buttons(watchId: number): unknown[] {
  return [
    {
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.Button,
          style: ButtonStyle.Secondary,
          custom_id: `${PAUSE_BUTTON}${watchId}`,
          label: 'Pause watch',
        },
        {
          type: ComponentType.Button,
          style: ButtonStyle.Secondary,
          custom_id: `${MUTE_BUTTON}${watchId}`,
          label: 'Mute for 1 h',
        },
      ],
    },
  ];
}

/**
 * Who may be pinged: exactly the watch's roles, nothing else. `parse: []` stops @everyone, @here and user mentions
 * that a headline might carry from ever pinging; content holds only our own role mention anyway.
 */
function mentions(roleIds: readonly string[], quiet: boolean): MessageBody {
  if (quiet || roleIds.length === 0) return { allowed_mentions: { parse: [] } };
  return {
    content: roleIds.map((id) => `<@&${id}>`).join(' '),
    allowed_mentions: { parse: [], roles: [...roleIds] },
  };
}

/**
 * One alert as a message: the embed, the role mention, the buttons, and the outbox row's nonce with enforce_nonce, so
 * that sending it again after a crash returns the first message instead of posting a second one.
 */
export function alertMessage(row: OutboxRow, quiet: boolean): MessageBody {
  const alert = row.alert;
  return {
    ...mentions(alert.mentionRoleId ? [alert.mentionRoleId] : [], quiet),
    embeds: [formatAlertEmbed(alert)],
    components: buttons(alert.watchId),
    nonce: row.nonce,
    enforce_nonce: true,
    ...(quiet ? { flags: MessageFlags.SuppressNotifications } : {}),
  };
}

/** Several alerts from one poll as one message listing them; its nonce is the first alert's. */
export function digestMessage(rows: readonly OutboxRow[], quiet: boolean): MessageBody {
  const alerts = rows.map((r) => r.alert);
  const roles = [...new Set(alerts.flatMap((a) => (a.mentionRoleId ? [a.mentionRoleId] : [])))];
  const watches = [...new Set(alerts.map((a) => a.watchName))];
  const lines: string[] = [];
  let length = 0;
  for (const [i, alert] of alerts.entries()) {
    const line = digestLine(alert);
    // Stop cleanly before the description limit and say how many were left out.
    const rest = alerts.length - i;
    if (length + line.length + 40 > EMBED_LIMITS.description) {
      lines.push(`…and ${rest} more`);
      break;
    }
    lines.push(line);
    length += line.length + 1;
  }
  const first = alerts[0];
  const feed = first ? [first.feedTitle, first.host].filter(Boolean).join(' · ') : '';
  const sameWatch = new Set(alerts.map((a) => a.watchId)).size === 1;
  return {
    ...mentions(roles, quiet),
    embeds: [
      {
        title: truncate(`${alerts.length} new alerts from ${feed || 'one feed'}`, EMBED_LIMITS.title),
        description: lines.join('\n'),
        footer: { text: truncate(`Digest · ${watches.join(', ')}`, EMBED_LIMITS.footer) },
        ...(first?.color !== null && first?.color !== undefined ? { color: first.color } : {}),
      },
    ],
    ...(sameWatch && first ? { components: buttons(first.watchId) } : {}),
    nonce: rows[0]?.nonce,
    enforce_nonce: true,
    ...(quiet ? { flags: MessageFlags.SuppressNotifications } : {}),
  };
}

function digestLine(alert: Alert): string {
  // Brackets would end the link text early; they are dropped rather than escaped.
  const title = truncate(escapeMarkdown(alert.title.replace(/[[\]]/g, '')) || '(untitled)', 200);
  const linked = alert.link && /^https?:\/\//i.test(alert.link) ? `[${title}](${alert.link})` : title;
  const when = alert.published ? ` · <t:${Math.floor(Date.parse(alert.published) / 1000)}:R>` : '';
  return `• ${linked}${when} — ${truncate(alert.watchName, 60)}`;
}

/**
 * The edit of a delivered alert once other outlets carried its story: the same embed with an "Also reported by"
 * field listing every one of them with its link (each edit lists them all, so edits may be retried or skipped).
 */
export function alsoReportedEdit(row: OutboxRow, updates: readonly AlertUpdateRow[]): MessageBody {
  const reports = updates.filter((u) => u.kind === 'also-reported').map((u) => u.report);
  return { embeds: [alsoReportedEmbed(row.alert, reports)] };
}

/** Discord's limit on a thread's name. */
export const THREAD_NAME_LIMIT = 100;

/** The name of the thread of an alert's follow-ups: its headline, on one line, within Discord's limit. */
export function threadName(alert: Alert): string {
  const title = alert.title.replace(/\s+/g, ' ').trim();
  return truncate(title || alert.watchName || 'Story updates', THREAD_NAME_LIMIT);
}

function followUpLine(update: AlertUpdateRow): string {
  const r = update.report;
  const title = truncate(escapeMarkdown(r.title.replace(/[[\]]/g, '')) || '(untitled)', 300);
  const linked = r.link && /^https?:\/\//i.test(r.link) ? `[${title}](${r.link})` : title;
  const source = truncate(escapeMarkdown(r.feedTitle || r.host || ''), 100);
  return `↳ ${update.kind === 'follow-up' ? 'Update' : 'Also reported'}: ${linked}${source ? ` — ${source}` : ''}`;
}

/** A follow-up posted in the alert's thread; the nonce makes a retry return the first post instead of a second. */
export function threadFollowUpMessage(update: AlertUpdateRow): MessageBody {
  return {
    content: followUpLine(update),
    allowed_mentions: { parse: [] },
    nonce: update.nonce,
    enforce_nonce: true,
  };
}

/**
 * A follow-up as a reply to the alert in its channel: the alert sits in a digest (a thread there would be named after
 * one of its stories), or the bot may not use threads there.
 */
export function followUpMessage(row: OutboxRow, update: AlertUpdateRow): MessageBody {
  return {
    content: followUpLine(update),
    allowed_mentions: { parse: [] },
    ...(row.remoteId ? { message_reference: { message_id: row.remoteId, fail_if_not_exists: false } } : {}),
    nonce: update.nonce,
    enforce_nonce: true,
    flags: MessageFlags.SuppressNotifications,
  };
}
