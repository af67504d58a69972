import { createHash } from 'node:crypto';
import { rootElementName } from './xml-prepare.js';

/**
 * Where each item of a feed document lies, and a fingerprint of its XML (its "source"). A feed that changed since
 * the last poll usually changed by an item or two: the items whose XML is byte-for-byte what an earlier parse saw
 * are cut out before the XML parser runs, so a 1 MB feed with two new stories costs the parse of two stories.
 *
 * The fingerprint covers everything that can change what an item parses to: the item's own text, the feed's URL
 * (relative links resolve against it), the kind of document, the DOCTYPE (declared entities) and every start tag
 * before the first item that declares a namespace or an xml:base. Text inside CDATA sections and comments is never
 * taken for markup. A document whose items this scan cannot delimit with certainty (an item inside an item, a
 * self-closed item, an unclosed one) gets no sources at all, and is always parsed whole.
 */

/** Bumped whenever parsing or mapping changes, so fingerprints from an older build are never trusted. */
const FORMAT = 'wirewatch-item-source/1';

export interface ItemChunk {
  /** Offsets of the item element in the document, end exclusive. */
  start: number;
  end: number;
  source: string;
}

function itemElementName(xml: string): 'item' | 'entry' | null {
  const root = rootElementName(xml);
  if (root === null) return null;
  const local = root.slice(root.indexOf(':') + 1).toLowerCase();
  if (local === 'feed') return 'entry';
  return local === 'rss' || local === 'rdf' ? 'item' : null;
}

const isNameEnd = (code: number): boolean =>
  code === 62 /* > */ || code === 47 /* / */ || code === 32 || code === 9 || code === 10 || code === 13;

/** Offsets of every item element, or null when they cannot be told apart for certain. */
function itemRanges(xml: string, name: string): Array<[number, number]> | null {
  const ranges: Array<[number, number]> = [];
  const open = `<${name}`;
  const close = `</${name}`;
  let current = -1;
  let i = 0;
  for (;;) {
    const lt = xml.indexOf('<', i);
    if (lt < 0) break;
    if (xml.startsWith('<![CDATA[', lt)) {
      const end = xml.indexOf(']]>', lt + 9);
      if (end < 0) return null;
      i = end + 3;
    } else if (xml.startsWith('<!--', lt)) {
      const end = xml.indexOf('-->', lt + 4);
      if (end < 0) return null;
      i = end + 3;
    } else if (xml.startsWith(open, lt) && isNameEnd(xml.charCodeAt(lt + open.length))) {
      const gt = xml.indexOf('>', lt);
      // A nested or self-closed item: leave such a document to the parser alone.
      if (current >= 0 || gt < 0 || xml.charCodeAt(gt - 1) === 47 /* / */) return null;
      current = lt;
      i = gt + 1;
    } else if (xml.startsWith(close, lt) && isNameEnd(xml.charCodeAt(lt + close.length))) {
      const gt = xml.indexOf('>', lt);
      if (current < 0 || gt < 0 || xml.slice(lt + close.length, gt).trim() !== '') return null;
      ranges.push([current, gt + 1]);
      current = -1;
      i = gt + 1;
    } else {
      i = lt + 1;
    }
  }
  return current >= 0 ? null : ranges;
}

const DOCTYPE = /<!DOCTYPE(?:[^[>]|\[[\s\S]*?\])*>/i;
const SCOPE_TAG = /<[A-Za-z_][^<>]*\b(?:xmlns|xml:base)\b[^<>]*>/g;

function digest(...parts: string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\u0000');
  return hash.digest('base64url').slice(0, 22);
}

/**
 * The items of an RSS, RDF or Atom document with their sources, in document order; null for other documents, for
 * documents read without a URL, and when the items cannot be delimited for certain.
 */
export function itemChunks(xml: string, feedUrl: string | null): ItemChunk[] | null {
  if (feedUrl === null) return null;
  const name = itemElementName(xml);
  if (name === null) return null;
  const ranges = itemRanges(xml, name);
  if (ranges === null || ranges.length === 0) return null;
  const header = xml.slice(0, ranges[0]?.[0]);
  const scope = [DOCTYPE.exec(header)?.[0] ?? '', ...(header.match(SCOPE_TAG) ?? [])].join('\n');
  const context = digest(FORMAT, name, feedUrl, scope);
  return ranges.map(([start, end]) => ({ start, end, source: digest(context, xml.slice(start, end)) }));
}

/** The document without the given items (the rest byte for byte). */
export function withoutItems(xml: string, removed: readonly ItemChunk[]): string {
  const parts: string[] = [];
  let copied = 0;
  for (const chunk of removed) {
    parts.push(xml.slice(copied, chunk.start));
    copied = chunk.end;
  }
  parts.push(xml.slice(copied));
  return parts.join('');
}
