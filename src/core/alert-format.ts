import type { Alert } from './alert.js';

/** Discord's documented embed limits: exceeding any of them makes Discord reject the whole message. */
export const EMBED_LIMITS = {
  title: 256,
  description: 4096,
  footer: 2048,
  authorName: 256,
  total: 6000,
} as const;

export interface DiscordEmbed {
  title: string;
  url?: string;
  description: string;
  color?: number;
  timestamp?: string;
  author?: { name: string };
  footer: { text: string };
}

/** Plain-text block for the console destination, one per alert. */
export function formatAlertText(alert: Alert): string {
  const source = [alert.feedTitle, alert.host].filter(Boolean).join(' · ');
  const lines = [
    `━━ ${alert.watchName} ━━ ${emphasise(alert.title, alert.highlights.title, '[', ']')}`,
    `   ${source}${alert.published ? ` · ${alert.published}` : ''}`,
  ];
  if (alert.link) lines.push(`   ${alert.link}`);
  if (alert.snippet) lines.push(`   ${emphasise(alert.snippet, alert.highlights.snippet, '[', ']')}`);
  lines.push(`   matched: ${alert.matchedTerms.join(', ') || '(none)'}  ·  query: ${alert.query}`);
  return lines.join('\n') + '\n';
}

/** The embed for Discord (webhook or bot), with matched words in bold, always within Discord's limits. */
export function formatAlertEmbed(alert: Alert): DiscordEmbed {
  const source = [alert.feedTitle, alert.host].filter(Boolean).join(' · ');
  const when = alert.published ? `<t:${Math.floor(Date.parse(alert.published) / 1000)}:R>` : '';
  const title = truncate(escapeMarkdown(alert.title) || '(untitled)', EMBED_LIMITS.title);
  const snippet = emphasise(alert.snippet, alert.highlights.snippet, '**', '**', escapeMarkdown);
  const description = truncate([snippet, when].filter(Boolean).join('\n\n'), EMBED_LIMITS.description);
  const footer = truncate(
    `${alert.watchName} · matched: ${alert.matchedTerms.join(', ') || '(none)'}`,
    EMBED_LIMITS.footer,
  );
  const embed: DiscordEmbed = { title, description, footer: { text: footer } };
  if (alert.link && /^https?:\/\//i.test(alert.link)) embed.url = alert.link;
  if (alert.color !== null) embed.color = alert.color;
  if (alert.published) embed.timestamp = alert.published;
  if (source) embed.author = { name: truncate(source, EMBED_LIMITS.authorName) };
  return fitTotal(embed);
}

/** Discord counts title, description, footer and author together against 6000; trim the description first. */
function fitTotal(embed: DiscordEmbed): DiscordEmbed {
  const others = embed.title.length + embed.footer.text.length + (embed.author?.name.length ?? 0);
  const room = EMBED_LIMITS.total - others;
  if (embed.description.length > room) embed.description = truncate(embed.description, Math.max(0, room));
  return embed;
}

/** Cuts to at most `max` characters, at a word boundary when one is near, ending with an ellipsis. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return text.slice(0, max);
  let cut = max - 1;
  const space = text.lastIndexOf(' ', cut);
  if (space > max * 0.7) cut = space;
  // Never split a surrogate pair: half an emoji is an invalid string for Discord.
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  return text.slice(0, cut).trimEnd() + '…';
}

/** Escapes Discord markdown so a headline with `*` or `_` shows as written and cannot break our bold runs. */
export function escapeMarkdown(text: string): string {
  return text.replace(/([\\*_~`|>[\]()#-])/g, (m, c: string, offset: number) => {
    // Only a leading `#`, `-` or `>` starts a heading, list or quote; elsewhere they are ordinary characters.
    if ((c === '#' || c === '-' || c === '>') && offset !== 0 && text[offset - 1] !== '\n') return m;
    return `\\${c}`;
  });
}

function emphasise(
  text: string,
  ranges: ReadonlyArray<[number, number]>,
  open: string,
  close: string,
  escape: (s: string) => string = (s) => s,
): string {
  let out = '';
  let pos = 0;
  for (const [s, e] of ranges) {
    if (s < pos || e > text.length) continue;
    out += escape(text.slice(pos, s)) + open + escape(text.slice(s, e)) + close;
    pos = e;
  }
  return out + escape(text.slice(pos));
}
