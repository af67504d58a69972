import type { ParsedFeed, ParsedItem } from '../../core/feed-types.js';
import { htmlToText } from '../../core/html-text.js';
import { parseFeedDate } from './feed-date.js';
import type { XmlFeed, XmlFields, XmlNode } from './xml-feed-reader.js';

/** Raw fields of RSS / RDF / Atom (0.3 and 1.0) documents to our shape: plain text, absolute links, Dates. */

function attrs(node: XmlNode | undefined): Record<string, string> {
  return typeof node === 'object' && node.$ ? node.$ : {};
}

function rawText(node: XmlNode | undefined): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node;
  return typeof node._ === 'string' ? node._ : '';
}

/** The first non-empty element among `keys` (captured names: `~title`). */
function first(fields: XmlFields, ...keys: string[]): XmlNode | undefined {
  for (const key of keys) {
    const node = fields[key]?.[0];
    // An element with attributes or children counts even without text (`<link href/>`, `<author><name>`).
    if (node !== undefined && (typeof node === 'object' || node.trim() !== '')) return node;
  }
  return undefined;
}

const collapse = (s: string): string => s.replace(/\s+/g, ' ').trim();
const orNull = (s: string): string | null => (s === '' ? null : s);

/**
 * Text of an Atom text construct, an RSS element or Atom 0.3 content, by its declared type: plain text is only
 * whitespace-collapsed, HTML and XHTML (inline markup was turned into CDATA before parsing) become plain text.
 * RSS does not say, and its titles and descriptions carry escaped HTML in practice, so RSS is read as HTML.
 */
function textOf(node: XmlNode | undefined, kind: XmlFeed['kind']): string | null {
  if (node === undefined) return null;
  let value = rawText(node);
  const a = attrs(node);
  const type = (a.type ?? '').toLowerCase();
  const mode = (a.mode ?? '').toLowerCase();
  if (mode === 'base64') value = Buffer.from(value, 'base64').toString('utf8');
  const plain =
    kind === 'atom' && (type === '' || type === 'text' || type === 'text/plain') && mode !== 'escaped';
  return orNull(plain ? collapse(value) : htmlToText(value));
}

function dateOf(fields: XmlFields, ...keys: string[]): Date | null {
  for (const key of keys) {
    const node = first(fields, key);
    const date = node === undefined ? null : parseFeedDate(rawText(node));
    if (date) return date;
  }
  return null;
}

function resolveUrl(href: string, base: string | null): string {
  const value = href.trim();
  if (/^[a-z][a-z0-9+.-]*:/i.test(value) || !base) return value;
  try {
    return new URL(value, base).href;
  } catch {
    return value;
  }
}

/** A scope's base URL: its xml:base resolved against the parent's base. */
function baseOf(fields: XmlFields, parent: string | null): string | null {
  const xmlBase = fields['~$']?.['xml:base'];
  if (!xmlBase) return parent;
  const resolved = resolveUrl(xmlBase, parent);
  return /^[a-z][a-z0-9+.-]*:/i.test(resolved) ? resolved : parent;
}

/** The alternate link: Atom `<link rel="alternate" href>` (rel defaults to alternate), or an RSS `<link>` text. */
function linkOf(fields: XmlFields, base: string | null): string | null {
  const links = [...(fields['~link'] ?? []), ...(fields['~atom:link'] ?? [])];
  let fallback: string | null = null;
  for (const node of links) {
    const a = attrs(node);
    const href = a.href ?? (a['rdf:resource'] || rawText(node));
    if (!href.trim()) continue;
    const rel = (a.rel ?? 'alternate').toLowerCase();
    if (rel === 'alternate') return resolveUrl(href, base);
    if (fallback === null && a.href === undefined) fallback = href;
  }
  return fallback === null ? null : resolveUrl(fallback, base);
}

function authorOf(fields: XmlFields): string | null {
  const node = first(fields, '~author', '~dc:creator');
  if (node === undefined) return null;
  if (typeof node === 'object') {
    const name =
      (node['~name'] as XmlNode[] | undefined)?.[0] ?? (node['~email'] as XmlNode[] | undefined)?.[0];
    if (name !== undefined) return orNull(htmlToText(rawText(name)));
  }
  return orNull(htmlToText(rawText(node)));
}

function categoriesOf(fields: XmlFields): string[] {
  const out: string[] = [];
  for (const node of [...(fields['~category'] ?? []), ...(fields['~dc:subject'] ?? [])]) {
    const a = attrs(node);
    const value = htmlToText(rawText(node) || a.term || a.label || '');
    if (value && !out.includes(value)) out.push(value);
  }
  return out;
}

function mapItem(item: XmlFields, doc: XmlFeed, feedBase: string | null): ParsedItem {
  const base = baseOf(item, feedBase);
  const guid = first(item, '~guid');
  const id = guid ?? first(item, '~id');
  const rdfAbout = item['~$']?.['rdf:about'];
  const idText = id !== undefined ? collapse(rawText(id)) : (rdfAbout ?? '').trim();
  let link = linkOf(item, base);
  // An RSS guid is a permalink unless it says otherwise: the usual link for feeds that only have a guid.
  if (
    link === null &&
    guid !== undefined &&
    attrs(guid).isPermaLink !== 'false' &&
    /^https?:\/\//i.test(idText)
  )
    link = idText;
  const summaryNode = first(item, '~description', '~summary');
  const contentNode = first(item, '~content:encoded', '~content', '~xhtml:body', '~body', '~xhtml:div');
  return {
    id: orNull(idText),
    title: textOf(first(item, '~title', '~dc:title'), doc.kind),
    link,
    summary: textOf(summaryNode ?? contentNode, doc.kind),
    published: dateOf(
      item,
      '~pubDate',
      '~published',
      '~issued',
      '~dcterms:issued',
      '~created',
      '~dcterms:created',
    ),
    updated: dateOf(item, '~updated', '~modified', '~dc:date', '~dcterms:modified'),
    author: authorOf(item),
    categories: categoriesOf(item),
  };
}

export function mapXmlFeed(doc: XmlFeed, feedUrl: string | null): ParsedFeed {
  const { feed } = doc;
  let base = baseOf(feed, feedUrl);
  const link = linkOf(feed, base);
  // A feed read from a file has no URL of its own: its site link is the best base for relative item links.
  if (base === null && link && /^https?:\/\//i.test(link)) base = link;
  const ttl = Number(rawText(first(feed, '~ttl')).trim());
  const id = first(feed, '~id');
  return {
    title: textOf(first(feed, '~title', '~dc:title'), doc.kind),
    link,
    id: id === undefined ? null : orNull(collapse(rawText(id))),
    updated: dateOf(feed, '~updated', '~modified', '~lastBuildDate', '~dc:date', '~dcterms:modified'),
    published: dateOf(feed, '~published', '~issued', '~pubDate', '~dcterms:issued'),
    ttlMinutes: Number.isFinite(ttl) && ttl > 0 ? ttl : null,
    items: doc.items.map((item) => mapItem(item, doc, base)),
  };
}
