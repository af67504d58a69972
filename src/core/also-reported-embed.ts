import type { Alert } from './alert.js';
import { EMBED_LIMITS, formatAlertEmbed, type DiscordEmbed } from './alert-format.js';
import { alsoReportedLines, type StoryReport } from './story/also-reported.js';

export interface DiscordEmbedField {
  name: string;
  value: string;
  inline: boolean;
}

/** An alert's embed once other outlets carried its story. */
export interface AlsoReportedEmbed extends DiscordEmbed {
  fields?: DiscordEmbedField[];
}

/**
 * The alert's embed with an "Also reported by" field listing every outlet with its link. Each edit lists them all,
 * so an edit may be retried or skipped; bot messages and webhook messages are edited with the same embed.
 */
export function alsoReportedEmbed(alert: Alert, reports: readonly StoryReport[]): AlsoReportedEmbed {
  const embed: AlsoReportedEmbed = { ...formatAlertEmbed(alert) };
  const used = JSON.stringify(embed).length;
  // The field counts against the 6000-character embed total: keep what is left, within the field limit.
  const room = Math.max(0, Math.min(1024, EMBED_LIMITS.total - used - 40));
  const value = alsoReportedLines(reports, room);
  if (value) embed.fields = [{ name: `Also reported by (${reports.length})`, value, inline: false }];
  return embed;
}
