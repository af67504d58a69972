import { decodeEntity } from 'html-entities';

/**
 * Decoded text plus, for every UTF-16 unit of `text`, the span of the original string it came from.
 * `starts`/`ends` are null when the text is the input unchanged (identity map), so plain text costs nothing.
 */
export interface MappedText {
  text: string;
  starts: number[] | null;
  ends: number[] | null;
}

// Tags that end a line or a cell when rendered: they must separate words ("<li>Seoul</li><li>Tokyo</li>").
const BLOCK_TAGS = new Set([
  'address', 'article', 'aside', 'blockquote', 'br', 'caption', 'dd', 'details', 'dialog', 'div', 'dl', 'dt',
  'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup',
  'hr', 'iframe', 'img', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody', 'td',
  'tfoot', 'th', 'thead', 'tr', 'ul', 'video', 'audio', 'source', 'picture', 'option', 'select', 'textarea',
]); // prettier-ignore

// Elements whose content is never text.
const RAW_TAGS = new Set(['script', 'style', 'noscript', 'template']);

const ENTITY = /&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});/y;
const ENTITY_TAIL = /(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});/y;
const TAG = /<(\/?)([A-Za-z][A-Za-z0-9:-]*)(?:[^>"']|"[^"]*"|'[^']*')*>/y;
// For a tag whose quotes do not pair up (`<a href=http://x/">`): browsers still end it at the next '>'.
const LOOSE_TAG = /<(\/?)([A-Za-z][A-Za-z0-9:-]*)[^>]*>/y;
const DECL = /<[!?][^>]*>/y;
const MARKUP_START = /[&<]/g;
// Whitespace runs other than a lone space: replacing only these keeps ordinary text (one space between words)
// from being rebuilt match by match.
const WHITESPACE_RUN = / ?[^\S ]\s*| {2,}\s*/g;

class MappedBuilder {
  readonly parts: string[] = [];
  readonly starts: number[] = [];
  readonly ends: number[] = [];

  /** `mapped` false: only the text is built (htmlToText needs no offsets, and they cost more than the text). */
  constructor(private readonly mapped: boolean) {}

  /** Original text copied through: each unit maps to itself. */
  copy(src: string, from: number, to: number): void {
    if (to <= from) return;
    this.parts.push(src.slice(from, to));
    if (!this.mapped) return;
    for (let k = from; k < to; k++) {
      this.starts.push(k);
      this.ends.push(k + 1);
    }
  }

  /** Text that replaces the original span [from, to) as a whole (an entity, a block tag). */
  replace(text: string, from: number, to: number): void {
    this.parts.push(text);
    if (!this.mapped) return;
    for (let k = 0; k < text.length; k++) {
      this.starts.push(from);
      this.ends.push(to);
    }
  }
}

/**
 * Decodes one entity at `at` (if any), following double encodings such as `&amp;#8217;` or `&amp;amp;nbsp;`.
 * Returns the decoded text and where the consumed source ends, or null if `at` does not start a known entity.
 */
function entityAt(src: string, at: number): { text: string; end: number } | null {
  ENTITY.lastIndex = at;
  const m = ENTITY.exec(src);
  if (!m) return null;
  let text = decodeEntity(m[0]);
  if (text === m[0]) return null;
  let end = at + m[0].length;
  while (text === '&') {
    ENTITY_TAIL.lastIndex = end;
    const tail = ENTITY_TAIL.exec(src);
    if (!tail) break;
    const again = decodeEntity('&' + tail[0]);
    if (again === '&' + tail[0]) break;
    text = again;
    end += tail[0].length;
  }
  return { text, end };
}

/** Skips a raw-text element's content up to and including its closing tag (or to the end). */
function skipRawContent(src: string, from: number, name: string): number {
  const close = new RegExp(`</${name}\\s*>`, 'ig');
  close.lastIndex = from;
  const m = close.exec(src);
  return m ? m.index + m[0].length : src.length;
}

/**
 * HTML (or plain text that may hold entities) to text with an offset map back to the input.
 * Whitespace is kept as is; block tags become one space, inline tags vanish, comments and
 * script/style content are dropped, attribute values are never text.
 */
export function decodeHtmlMapped(src: string): MappedText {
  if (src.indexOf('<') < 0 && src.indexOf('&') < 0) return { text: src, starts: null, ends: null };
  const out = decodeInto(src, new MappedBuilder(true));
  return { text: out.parts.join(''), starts: out.starts, ends: out.ends };
}

/** The text decodeHtmlMapped gives, without the offset map (for callers that only need words). */
export function decodeHtml(src: string): string {
  if (src.indexOf('<') < 0 && src.indexOf('&') < 0) return src;
  return decodeInto(src, new MappedBuilder(false)).parts.join('');
}

function decodeInto(src: string, out: MappedBuilder): MappedBuilder {
  let textFrom = 0;
  let i = 0;
  const n = src.length;
  // No tag can start after the last '>': stops quadratic rescans of text full of stray '<'.
  const lastGt = src.lastIndexOf('>');
  while (i < n) {
    // Jump to the next '&' or '<': everything before it is copied through as it is.
    MARKUP_START.lastIndex = i;
    if (!MARKUP_START.test(src)) break;
    i = MARKUP_START.lastIndex - 1;
    const c = src.charCodeAt(i);
    if (c === 38 /* & */) {
      const ent = entityAt(src, i);
      if (ent) {
        out.copy(src, textFrom, i);
        out.replace(ent.text, i, ent.end);
        i = textFrom = ent.end;
        continue;
      }
    } else if (c === 60 /* < */) {
      const next = skipMarkup(src, i, out, textFrom, i < lastGt);
      if (next > i) {
        i = textFrom = next;
        continue;
      }
    }
    i++;
  }
  out.copy(src, textFrom, n);
  return out;
}

/** If markup starts at `i`, flushes pending text, emits its replacement and returns where it ends; else returns i. */
function skipMarkup(src: string, i: number, out: MappedBuilder, textFrom: number, gtAhead: boolean): number {
  if (src.startsWith('<!--', i)) {
    const close = src.indexOf('-->', i + 4);
    out.copy(src, textFrom, i);
    return close < 0 ? src.length : close + 3;
  }
  if (src.startsWith('<![CDATA[', i)) {
    const close = src.indexOf(']]>', i + 9);
    const innerEnd = close < 0 ? src.length : close;
    out.copy(src, textFrom, i);
    out.copy(src, i + 9, innerEnd);
    return close < 0 ? src.length : close + 3;
  }
  if (!gtAhead) return i;
  TAG.lastIndex = i;
  let tag = TAG.exec(src);
  if (!tag) {
    LOOSE_TAG.lastIndex = i;
    tag = LOOSE_TAG.exec(src);
  }
  if (tag) {
    out.copy(src, textFrom, i);
    const closing = tag[1] === '/';
    const name = (tag[2] ?? '').toLowerCase();
    let end = i + tag[0].length;
    if (!closing && RAW_TAGS.has(name) && !tag[0].endsWith('/>')) end = skipRawContent(src, end, name);
    if (BLOCK_TAGS.has(name) || RAW_TAGS.has(name)) out.replace(' ', i, end);
    return end;
  }
  DECL.lastIndex = i;
  const decl = DECL.exec(src);
  if (decl) {
    out.copy(src, textFrom, i);
    return i + decl[0].length;
  }
  return i;
}

/**
 * Plain text of an HTML fragment: entities decoded (also double-encoded ones), tags, comments and
 * script/style content removed, block tags separating words, whitespace collapsed and trimmed.
 * Text with neither `<` nor `&` only has its whitespace collapsed.
 */
export function htmlToText(html: string): string {
  const text =
    html.indexOf('<') < 0 && html.indexOf('&') < 0
      ? html
      : decodeInto(html, new MappedBuilder(false)).parts.join('');
  return text.replace(WHITESPACE_RUN, ' ').trim();
}
