import { decode } from 'html-entities';

/**
 * OPML, the subscription list every feed reader imports and exports. Only `<outline>` elements matter: those with an
 * `xmlUrl` are feeds; the others are folders. Attributes are read with a small tag scanner (OPML carries everything
 * in attributes, never in text or CDATA), which keeps this module pure and tolerant of the sloppy files readers write.
 */
export interface OpmlEntry {
  url: string;
  title: string | null;
}

export type OpmlParseResult =
  { ok: true; title: string | null; entries: OpmlEntry[] } | { ok: false; message: string };

const TAG = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[^\s=/>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*(\/?)>/g;
const ATTR = /([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;

function attributes(raw: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of raw.matchAll(ATTR)) {
    const name = (m[1] ?? '').toLowerCase();
    out.set(name, decode(m[2] ?? m[3] ?? m[4] ?? '', { level: 'xml' }).trim());
  }
  return out;
}

export function parseOpml(text: string): OpmlParseResult {
  const body = text.replace(/<!--[\s\S]*?-->/g, '');
  if (!/<opml[\s>]/i.test(body)) return { ok: false, message: 'not an OPML file (no <opml> element)' };
  let title: string | null = null;
  const titleMatch = /<title>([\s\S]*?)<\/title>/i.exec(body);
  if (titleMatch?.[1]) title = decode(titleMatch[1], { level: 'xml' }).trim() || null;
  const entries: OpmlEntry[] = [];
  const seen = new Set<string>();
  for (const m of body.matchAll(TAG)) {
    if (m[1] === '/' || (m[2] ?? '').toLowerCase() !== 'outline') continue;
    const attrs = attributes(m[3] ?? '');
    const url = attrs.get('xmlurl');
    if (!url || seen.has(url)) continue;
    seen.add(url);
    entries.push({ url, title: attrs.get('title') || attrs.get('text') || null });
  }
  return { ok: true, title, entries };
}

function escapeAttr(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/"/g, '&quot;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\r\n\t]/g, ' ');
}

/** An OPML 2.0 document listing the feeds (name as text, feed title as title). */
export function buildOpml(
  title: string,
  feeds: ReadonlyArray<{ name: string; url: string; title: string | null }>,
  created: Date,
): string {
  const lines = feeds.map(
    (f) =>
      `    <outline type="rss" text="${escapeAttr(f.name)}" title="${escapeAttr(f.title ?? f.name)}" xmlUrl="${escapeAttr(f.url)}"/>`,
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<opml version="2.0">',
    '  <head>',
    `    <title>${escapeAttr(title)}</title>`,
    `    <dateCreated>${created.toUTCString()}</dateCreated>`,
    '  </head>',
    '  <body>',
    ...lines,
    '  </body>',
    '</opml>',
    '',
  ].join('\n');
}
