import { decode } from 'html-entities';

/**
 * Text passes over a feed document before the XML parser sees it. xml2js (under rss-parser) loses the order of
 * mixed content, expands nothing from a DTD and rejects anything not well-formed, while real feeds put raw
 * XHTML in titles, declare entities in a DOCTYPE and use HTML entities without one.
 */

/** Name of the document's root element (after the prolog, comments and DOCTYPE), or null if there is none. */
export function rootElementName(xml: string): string | null {
  const lt = rootElementStart(xml);
  if (lt < 0) return null;
  return /^<([A-Za-z_][\w.:-]*)/.exec(xml.slice(lt, lt + 200))?.[1] ?? null;
}

/** Index of the '<' that starts the root element (past the prolog, comments and DOCTYPE), or -1. */
function rootElementStart(xml: string): number {
  let i = 0;
  for (;;) {
    const lt = xml.indexOf('<', i);
    if (lt < 0) return -1;
    if (xml.startsWith('<!--', lt)) {
      const end = xml.indexOf('-->', lt + 4);
      if (end < 0) return -1;
      i = end + 3;
    } else if (xml.startsWith('<!DOCTYPE', lt) || xml.startsWith('<!doctype', lt)) {
      const end = doctypeEnd(xml, lt);
      if (end < 0) return -1;
      i = end;
    } else if (xml[lt + 1] === '?' || xml[lt + 1] === '!') {
      const end = xml.indexOf('>', lt);
      if (end < 0) return -1;
      i = end + 1;
    } else {
      return lt;
    }
  }
}

/** Index just past a DOCTYPE declaration starting at `from`, internal subset included; -1 if unterminated. */
function doctypeEnd(xml: string, from: number): number {
  const bracket = xml.indexOf('[', from);
  const close = xml.indexOf('>', from);
  if (close < 0) return -1;
  if (bracket < 0 || bracket > close) return close + 1;
  const end = xml.indexOf(']', bracket);
  if (end < 0) return -1;
  const gt = xml.indexOf('>', end);
  return gt < 0 ? -1 : gt + 1;
}

const MAX_ENTITY_VALUE = 1024;
const MAX_EXPANSION = 1024 * 1024;

/**
 * Expands general entities declared in the internal DTD subset (`<!ENTITY id "tag:example.com,">`), but only
 * literal values with no references of their own and within a total budget: nested definitions are how the
 * "billion laughs" bomb works, so they are never expanded (the parse then treats them as unknown text).
 */
export function expandDeclaredEntities(xml: string): string {
  // A DOCTYPE comes before the root element: only the prolog is searched, not the whole (maybe large) document.
  const root = rootElementStart(xml);
  const start = (root < 0 ? xml : xml.slice(0, root)).search(/<!DOCTYPE/i);
  if (start < 0) return xml;
  const end = doctypeEnd(xml, start);
  if (end < 0) return xml;
  const entities = new Map<string, string>();
  const decl = /<!ENTITY\s+([A-Za-z_][\w.:-]*)\s+(?:"([^"]*)"|'([^']*)')\s*>/g;
  for (const m of xml.slice(start, end).matchAll(decl)) {
    const value = m[2] ?? m[3] ?? '';
    if (m[1] && value.length <= MAX_ENTITY_VALUE && !/[&<%]/.test(value)) entities.set(m[1], value);
  }
  if (entities.size === 0) return xml;
  let budget = MAX_EXPANSION;
  const body = xml.slice(end).replace(/&([A-Za-z_][\w.:-]*);/g, (ref, name: string) => {
    const value = entities.get(name);
    if (value === undefined || value.length > budget) return ref;
    budget -= value.length;
    return value.replace(/[>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  });
  return xml.slice(0, end) + body;
}

// Elements that hold human-readable text (or HTML/XHTML) in RSS, RDF and Atom.
const TEXT_ELEMENT =
  /<((?:([A-Za-z_][\w.-]*):)?(title|subtitle|tagline|summary|content|description|encoded|body|info|rights|copyright))(?=[\s/>])((?:[^>"'/]|"[^"]*"|'[^']*'|\/(?!>))*)(\/?)>/g;
const NO_WRAP_PREFIXES = new Set(['media', 'itunes', 'rdf', 'slash', 'wfw', 'thr', 'georss']);

function hasMarkupOutsideCdata(inner: string): boolean {
  if (inner.indexOf('<') < 0) return false;
  return /<(?![!]\[CDATA\[)[A-Za-z/!?]/.test(inner.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, ''));
}

const closeTagPatterns = new Map<string, RegExp>();

/** A (shared, global) pattern for `</qname>`; callers set lastIndex before each use. */
function closeTagPattern(qname: string): RegExp {
  let re = closeTagPatterns.get(qname);
  if (re === undefined) {
    re = new RegExp(`</${qname.replace(/\./g, '\\.')}\\s*>`, 'g');
    // Element names come from documents: keep the cache from growing without bound.
    if (closeTagPatterns.size < 256) closeTagPatterns.set(qname, re);
  }
  return re;
}

/**
 * Turns inline markup inside text elements (Atom `type="xhtml"`, `xhtml:body`, raw HTML in an RSS description)
 * into a CDATA section, so that its text keeps its order and HTML entities in it need no DTD; the mapper then
 * reads it as HTML.
 */
export function wrapInlineMarkup(xml: string): string {
  const out: string[] = [];
  let copied = 0;
  TEXT_ELEMENT.lastIndex = 0;
  for (let m = TEXT_ELEMENT.exec(xml); m; m = TEXT_ELEMENT.exec(xml)) {
    const [open, qname = '', prefix, local] = m;
    if (
      m[5] === '/' ||
      (prefix && NO_WRAP_PREFIXES.has(prefix)) ||
      (local === 'content' && prefix && prefix !== 'atom')
    )
      continue;
    const innerStart = m.index + open.length;
    const closeRe = closeTagPattern(qname);
    closeRe.lastIndex = innerStart;
    const close = closeRe.exec(xml);
    if (!close) break;
    const inner = xml.slice(innerStart, close.index);
    if (hasMarkupOutsideCdata(inner)) {
      out.push(xml.slice(copied, innerStart), '<![CDATA[', inner.split(']]>').join(']]]]><![CDATA[>'), ']]>');
      copied = close.index;
    }
    TEXT_ELEMENT.lastIndex = close.index + close[0].length;
  }
  if (copied === 0) return xml;
  out.push(xml.slice(copied));
  return out.join('');
}

const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

/**
 * Makes a not-well-formed document parseable the way browsers and feedparser read it: HTML named entities
 * become character references, unknown ones and bare `&` become literal text. CDATA sections and comments are
 * left alone.
 */
export function repairEntities(xml: string): string {
  return xml
    .split(/(<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->)/)
    .map((part, i) => (i % 2 === 1 ? part : repairPart(part)))
    .join('');
}

function repairPart(text: string): string {
  return text.replace(
    /&(#[0-9]+;|#[xX][0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)?/g,
    (match, ref: string | undefined) => {
      if (!ref) return '&amp;';
      if (ref.startsWith('#')) return match;
      const name = ref.slice(0, -1);
      if (XML_ENTITIES.has(name)) return match;
      const decoded = decode(match, { level: 'html5' });
      if (decoded === match) return `&amp;${ref}`;
      return [...decoded].map((ch) => `&#${ch.codePointAt(0) ?? 63};`).join('');
    },
  );
}
