import Parser from 'rss-parser';
import { extractTextBodies, restoreTextBodies } from './text-bodies.js';

/** An xml2js node: text, or an element with attributes (`$`), text (`_`) and child arrays. */
export type XmlNode = string | { $?: Record<string, string>; _?: string; [child: string]: unknown };
/** Captured children of one element, keyed by `~` + canonical qualified name (`~title`, `~dc:date`). */
export type XmlFields = Record<string, XmlNode[] | undefined> & { '~$'?: Record<string, string> };

export type FeedKind = 'rss' | 'rdf' | 'atom';

export interface XmlFeed {
  kind: FeedKind;
  /** `<channel>` (RSS, RDF) or `<feed>` (Atom). */
  feed: XmlFields;
  items: XmlFields[];
}

// Namespaces that feeds bind to various prefixes; names are rewritten to one prefix each so the mapper can look
// them up ('' means the feed format's own namespace: no prefix).
const NAMESPACES: Record<string, string> = {
  'http://purl.org/dc/elements/1.1/': 'dc',
  'http://purl.org/dc/terms/': 'dcterms',
  'http://purl.org/rss/1.0/modules/content/': 'content',
  'http://www.w3.org/1999/02/22-rdf-syntax-ns#': 'rdf',
  'http://www.w3.org/1999/xhtml': 'xhtml',
  'http://search.yahoo.com/mrss/': 'media',
  'http://search.yahoo.com/mrss': 'media',
  'http://www.itunes.com/dtds/podcast-1.0.dtd': 'itunes',
  'http://backend.userland.com/rss2': '',
  'http://backend.userland.com/rss': '',
  'http://purl.org/rss/1.0/': '',
  'http://my.netscape.com/rdf/simple/0.9/': '',
};
const ATOM_NAMESPACES = new Set(['http://www.w3.org/2005/Atom', 'http://purl.org/atom/ns#']);

// Elements rss-parser walks; every other element is renamed with a `~` so that rss-parser's own field mapping
// (which throws on some invalid dates and link shapes) leaves it alone and our mapper reads it raw.
const STRUCTURE = new Set(['rss', 'channel', 'item', 'feed', 'entry', 'rdf:RDF']);

// sax's lenient mode upper-cases names; these are the mixed-case names that matter.
const MIXED_CASE = [
  'pubDate',
  'lastBuildDate',
  'rdf:RDF',
  'managingEditor',
  'webMaster',
  'textInput',
  'isPermaLink',
];
const CASE_FIX = new Map(MIXED_CASE.map((n) => [n.toLowerCase(), n]));

export const ITEM_FIELDS = [
  'title', 'dc:title', 'link', 'atom:link', 'guid', 'id', 'description', 'summary', 'content', 'content:encoded',
  'xhtml:body', 'body', 'xhtml:div', 'pubDate', 'dc:date', 'dcterms:modified', 'dcterms:issued', 'dcterms:created',
  'published', 'updated', 'issued', 'modified', 'created', 'author', 'dc:creator', 'category', 'dc:subject',
]; // prettier-ignore
export const FEED_FIELDS = [
  'title', 'dc:title', 'link', 'atom:link', 'id', 'updated', 'modified', 'published', 'issued', 'lastBuildDate',
  'pubDate', 'dc:date', 'dcterms:modified', 'dcterms:issued', 'ttl',
]; // prettier-ignore

const NAMESPACE_DECLARATION = /\sxmlns:([A-Za-z_][\w.-]*)\s*=\s*["']([^"']*)["']/y;

/** Prefix → canonical prefix, from the document's namespace declarations. */
function prefixMap(xml: string, rootIsAtom: boolean): Map<string, string> {
  const map = new Map<string, string>();
  // indexOf finds the few declarations much faster than a regex scan of the whole document.
  for (let at = xml.indexOf('xmlns:', 1); at >= 0; at = xml.indexOf('xmlns:', at + 6)) {
    NAMESPACE_DECLARATION.lastIndex = at - 1;
    const m = NAMESPACE_DECLARATION.exec(xml);
    if (!m) continue;
    at = NAMESPACE_DECLARATION.lastIndex - 6; // the next search starts after this declaration, as with /g
    const [, prefix = '', uri = ''] = m;
    const canonical = ATOM_NAMESPACES.has(uri) ? (rootIsAtom ? '' : 'atom') : NAMESPACES[uri];
    if (canonical !== undefined && canonical !== prefix) map.set(prefix, canonical);
  }
  return map;
}

function renamer(prefixes: Map<string, string>, lenient: boolean): (name: string) => string {
  return (raw) => {
    let name = raw;
    if (lenient) {
      const lower = raw.toLowerCase();
      name = CASE_FIX.get(lower) ?? lower;
    }
    const colon = name.indexOf(':');
    if (colon > 0) {
      const canonical = prefixes.get(name.slice(0, colon));
      if (canonical !== undefined) {
        const local = name.slice(colon + 1);
        name = canonical ? `${canonical}:${local}` : local;
      }
    }
    return STRUCTURE.has(name) ? name : `~${name}`;
  };
}

function attrRenamer(raw: string): string {
  const lower = raw.toLowerCase();
  return CASE_FIX.get(lower) ?? lower;
}

const capture = (names: string[]): Array<[string, string, { keepArray: true }]> =>
  ['$', ...names.map((n) => `~${n}`)].map((n) => [n, n === '$' ? '~$' : n, { keepArray: true }]);

/**
 * Parses a feed document with rss-parser (`defaultRSS: 2`, so `<rss>` without a version is RSS 2.0) and returns
 * the raw fields of the feed and its items. `lenient` switches sax to its forgiving mode, for documents that
 * are not well-formed. Throws when the document is not XML or not RSS/RDF/Atom.
 */
export async function readXmlFeed(xml: string, kind: FeedKind, lenient: boolean): Promise<XmlFeed> {
  if (!lenient) {
    const { xml: skeleton, bodies } = extractTextBodies(xml);
    if (bodies.length > 0) {
      try {
        return restoreTextBodies(await parseFeedXml(skeleton, kind, false), bodies);
      } catch {
        // The whole document again, so that an error names the real place.
      }
    }
  }
  return parseFeedXml(xml, kind, lenient);
}

async function parseFeedXml(xml: string, kind: FeedKind, lenient: boolean): Promise<XmlFeed> {
  const parser = new Parser({
    defaultRSS: 2,
    xml2js: {
      strict: !lenient,
      tagNameProcessors: [renamer(prefixMap(xml, kind === 'atom'), lenient)],
      ...(lenient ? { attrNameProcessors: [attrRenamer] } : {}),
    },
    customFields: {
      feed: capture(FEED_FIELDS) as unknown as string[],
      item: capture(ITEM_FIELDS),
    },
  });
  const out = (await parser.parseString(xml)) as unknown as XmlFields & { items?: XmlFields[] };
  const { items = [], ...feed } = out;
  return { kind, feed: feed as XmlFields, items };
}
