/**
 * Long text bodies taken out of a document before the XML parser sees it. sax reads a document one character at a
 * time, and in a large feed almost every byte is the text of a description or content element; those bodies are
 * cut out here (each replaced by a short placeholder), decoded with a few regular expressions, and put back into
 * the parsed tree. Only bodies that are plain text and CDATA, whose references are all XML's own (the five named
 * ones and valid numeric ones), are taken: anything else stays for sax, so what it accepts and rejects is unchanged.
 */

/** Bodies shorter than this are left to sax: taking them out costs more than it saves. */
const MIN_BODY_CHARS = 256;
const MARK_OPEN = '\uE000';
const MARK_CLOSE = '\uE001';
const PLACEHOLDER = /^\uE000(\d+)\uE001$/;

// An element's start tag, attributes quote-aware (a quoted value may hold '>').
const START_TAG = /<([A-Za-z_][\w.:-]*)((?:[^<>"']|"[^"]*"|'[^']*')*)>/y;
// Where a long body may start: a '>' followed by a long run of text, or by a CDATA section.
const LONG_BODY = new RegExp(`>(?:[^<]{${MIN_BODY_CHARS}}|<!\\[CDATA\\[)`, 'g');
const NUMERIC_REFERENCE = /&#(?:([0-9]{1,7})|x([0-9a-fA-F]{1,6}));/y;

export interface ExtractedBodies {
  /** The document with long bodies replaced by placeholders (the input itself when none was taken). */
  xml: string;
  bodies: string[];
}

export function extractTextBodies(xml: string): ExtractedBodies {
  const bodies: string[] = [];
  // A document that already holds the placeholder characters is read as it is.
  if (xml.length < 4 * MIN_BODY_CHARS || xml.includes(MARK_OPEN)) return { xml, bodies };
  const out: string[] = [];
  let copied = 0;
  const literal = literalRegions(xml);
  LONG_BODY.lastIndex = 0;
  for (let m = LONG_BODY.exec(xml); m; m = LONG_BODY.exec(xml)) {
    const tagEnd = m.index + 1;
    LONG_BODY.lastIndex = tagEnd;
    if (literal(m.index)) continue;
    // The '>' must close a start tag (not an end tag, a comment or a '>' inside an attribute value).
    START_TAG.lastIndex = xml.lastIndexOf('<', m.index);
    const tag = START_TAG.exec(xml);
    if (!tag || START_TAG.lastIndex !== tagEnd || tag[0].endsWith('/>') || tag.index < copied) continue;
    const end = textBodyEnd(xml, tagEnd, tag[1] ?? '');
    if (end < 0 || end - tagEnd < MIN_BODY_CHARS) continue;
    const decoded = decodeBody(xml.slice(tagEnd, end));
    if (decoded === null || !/\S/.test(decoded)) continue;
    out.push(xml.slice(copied, tagEnd), MARK_OPEN, String(bodies.length), MARK_CLOSE);
    bodies.push(decoded);
    copied = end;
    LONG_BODY.lastIndex = end;
  }
  if (bodies.length === 0) return { xml, bodies };
  out.push(xml.slice(copied));
  return { xml: out.join(''), bodies };
}

/**
 * Whether a position lies inside a CDATA section or a comment, where markup is only text. Positions must be asked
 * in increasing order.
 */
function literalRegions(xml: string): (at: number) => boolean {
  let start = -1;
  let end = -1;
  let nextCdata = xml.indexOf('<![CDATA[');
  let nextComment = xml.indexOf('<!--');
  return (at) => {
    while (end <= at) {
      if (nextCdata < 0 && nextComment < 0) return false;
      const cdata = nextComment < 0 || (nextCdata >= 0 && nextCdata < nextComment);
      start = cdata ? nextCdata : nextComment;
      const close = xml.indexOf(cdata ? ']]>' : '-->', start + (cdata ? 9 : 4));
      end = close < 0 ? xml.length : close + 3;
      if (nextCdata >= 0 && nextCdata < end) nextCdata = xml.indexOf('<![CDATA[', end);
      if (nextComment >= 0 && nextComment < end) nextComment = xml.indexOf('<!--', end);
    }
    return at >= start;
  };
}

/** Where the body of element `name` starting at `from` ends (at its end tag), if it holds only text and CDATA. */
function textBodyEnd(xml: string, from: number, name: string): number {
  let i = from;
  for (;;) {
    const lt = xml.indexOf('<', i);
    if (lt < 0) return -1;
    if (xml.startsWith('<![CDATA[', lt)) {
      const close = xml.indexOf(']]>', lt + 9);
      if (close < 0) return -1;
      i = close + 3;
      continue;
    }
    if (xml.charCodeAt(lt + 1) === 47 /* / */ && xml.startsWith(name, lt + 2)) {
      const after = xml.slice(lt + 2 + name.length, lt + 2 + name.length + 64);
      return /^\s*>/.test(after) ? lt : -1;
    }
    return -1;
  }
}

/** The text sax would give for a body of text and CDATA sections, or null when sax should judge it. */
function decodeBody(raw: string): string | null {
  // Only CDATA sections can hold a '<' here.
  if (raw.indexOf('<') < 0) return decodeText(raw);
  const parts: string[] = [];
  let i = 0;
  while (i < raw.length) {
    const cdata = raw.indexOf('<![CDATA[', i);
    const textEnd = cdata < 0 ? raw.length : cdata;
    const text = decodeText(raw.slice(i, textEnd));
    if (text === null) return null;
    parts.push(text);
    if (cdata < 0) break;
    const close = raw.indexOf(']]>', cdata + 9);
    parts.push(raw.slice(cdata + 9, close));
    i = close + 3;
  }
  return parts.join('');
}

/**
 * Decodes XML's own references in one pass; null when an '&' starts anything else (an HTML entity, a bare
 * ampersand, a reference to a character XML does not allow): sax decides what that means.
 */
function decodeText(text: string): string | null {
  let at = text.indexOf('&');
  if (at < 0) return text;
  let out = '';
  let copied = 0;
  while (at >= 0) {
    const named = namedReferenceAt(text, at);
    let end: number;
    let value: string;
    if (named !== null) {
      value = named;
      end = text.indexOf(';', at) + 1;
    } else {
      NUMERIC_REFERENCE.lastIndex = at;
      const m = NUMERIC_REFERENCE.exec(text);
      if (!m) return null;
      const code = m[1] !== undefined ? Number.parseInt(m[1], 10) : Number.parseInt(m[2] ?? '', 16);
      if (!isXmlChar(code)) return null;
      value = String.fromCodePoint(code);
      end = NUMERIC_REFERENCE.lastIndex;
    }
    out += text.slice(copied, at) + value;
    copied = end;
    at = text.indexOf('&', end);
  }
  return out + text.slice(copied);
}

/** The character of one of XML's five named references at `at`, or null. */
function namedReferenceAt(text: string, at: number): string | null {
  switch (text.charCodeAt(at + 1)) {
    case 108 /* l */:
      return text.startsWith('lt;', at + 1) ? '<' : null;
    case 103 /* g */:
      return text.startsWith('gt;', at + 1) ? '>' : null;
    case 97 /* a */:
      if (text.startsWith('amp;', at + 1)) return '&';
      return text.startsWith('apos;', at + 1) ? "'" : null;
    case 113 /* q */:
      return text.startsWith('quot;', at + 1) ? '"' : null;
    default:
      return null;
  }
}

function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

/** Puts the bodies back into an xml2js tree (element text is a string, or `_` beside attributes). */
export function restoreTextBodies<T>(node: T, bodies: readonly string[]): T {
  if (bodies.length === 0) return node;
  const visit = (value: unknown): unknown => {
    if (typeof value === 'string') {
      if (!value.startsWith(MARK_OPEN)) return value;
      const m = PLACEHOLDER.exec(value);
      return m ? (bodies[Number(m[1])] ?? value) : value;
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) value[i] = visit(value[i]);
      return value;
    }
    if (value !== null && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record))
        if (key !== '$' && key !== '~$') record[key] = visit(record[key]);
    }
    return value;
  };
  return visit(node) as T;
}
