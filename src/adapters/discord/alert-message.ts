import { ButtonStyle, ComponentType, MessageFlags } from 'discord.js';
import type { OutboxRow } from '../../app/ports.js';
import type { Alert } from '../../core/alert.js';
import { EMBED_LIMITS, escapeMarkdown, formatAlertEmbed, truncate } from '../../core/alert-format.js';

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
