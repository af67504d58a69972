import { decodeHtml, decodeHtmlMapped, type MappedText } from '../html-text.js';
import { APOS, ASCII_CLASS, DOT, INVISIBLE_CLASS, SEP, SPACELESS, WORD, charInfo } from './char-fold.js';

/** One word of normalised text. */
export interface Token {
  /** Normalised form: entities decoded, accents and compatibility forms folded, lower case. */
  word: string;
  /** Like `word` but with the original letter case (for exact-case `=` terms). */
  exact: string;
  /** UTF-16 offsets of the word in the string given to `tokenize` (end exclusive). */
  start: number;
  end: number;
  /** Word of a script written without spaces (Han, kana, Hangul, Thai): matched by substring. */
  spaceless: boolean;
}

interface Mapping {
  starts: number[] | null;
  ends: number[] | null;
}

function pushToken(
  tokens: Token[],
  map: Mapping,
  exact: string,
  s: number,
  e: number,
  spaceless: boolean,
): void {
  const start = map.starts ? map.starts[s]! : s;
  const end = map.ends ? map.ends[e - 1]! : e;
  tokens.push({ word: exact.toLowerCase(), exact, start, end, spaceless });
}

/** Class of the code point at `i` (SEP past the end); invisible characters count as their own class. */
function classAt(src: string, i: number): number {
  if (i >= src.length) return SEP;
  const c = src.charCodeAt(i);
  return c < 128 ? ASCII_CLASS[c]! : charInfo(src.codePointAt(i)!).cls;
}

function widthAt(src: string, i: number): number {
  const c = src.charCodeAt(i);
  return c >= 0xd800 && c <= 0xdbff && i + 1 < src.length ? 2 : 1;
}

function isWordClass(k: number): boolean {
  return k === WORD || k === SPACELESS;
}

/** A single letter at `i` standing alone (next char is not a letter/digit): a piece of "U.S.". */
function loneLetterAt(src: string, i: number): boolean {
  if (i >= src.length) return false;
  const c = src.charCodeAt(i);
  const letter =
    c < 128 ? (c >= 65 && c <= 90) || (c >= 97 && c <= 122) : charInfo(src.codePointAt(i)!).letter;
  return letter && !isWordClass(classAt(src, i + widthAt(src, i)));
}

/** Folded form of src[s, e): accents removed, compatibility forms expanded, invisible characters dropped. */
function foldRange(src: string, s: number, e: number): string {
  let out = '';
  for (let i = s; i < e;) {
    const c = src.charCodeAt(i);
    if (c < 128) {
      out += src[i];
      i++;
    } else {
      const cp = src.codePointAt(i)!;
      out += charInfo(cp).fold;
      i += cp > 0xffff ? 2 : 1;
    }
  }
  return out;
}

/**
 * Normalises text and splits it into words: HTML entities decoded and tags stripped, soft hyphens and
 * zero-width characters dropped, NFKD with combining marks removed (plus ø→o, ß→ss, æ→ae, ...), curly
 * apostrophes unified and a possessive 's / trailing ' dropped, dotted single-letter abbreviations joined
 * ("U.S." → US), words are runs of letters and digits (hyphens, slashes and other punctuation separate
 * them). Runs of Han, kana, Hangul or Thai form their own tokens (`spaceless`).
 * The same function normalises query words, so item text and queries always agree.
 */
export function tokenize(input: string): Token[] {
  return scan(decodeHtmlMapped(input));
}

/** The tokens of decoded text, the first `limit` of them; `html`'s map turns their offsets back into offsets of the
 * input. */
function scan(html: MappedText, limit = Infinity): Token[] {
  const src = html.text;
  const tokens: Token[] = [];
  const n = src.length;
  let i = 0;
  while (i < n && tokens.length < limit) {
    const c0 = src.charCodeAt(i);
    const cls = c0 < 128 ? ASCII_CLASS[c0]! : charInfo(src.codePointAt(i)!).cls;
    if (cls !== WORD && cls !== SPACELESS) {
      i += widthAt(src, i);
      continue;
    }
    const s = i;
    let ascii = true;
    let e = i; // end of the last letter/digit: trailing invisible characters are not part of the word
    while (i < n) {
      const c = src.charCodeAt(i);
      if (c < 128) {
        if (ASCII_CLASS[c] !== cls) break;
        e = ++i;
        continue;
      }
      const cp = src.codePointAt(i)!;
      const k = charInfo(cp).cls;
      if (k !== cls && k !== INVISIBLE_CLASS) break;
      ascii = false;
      i += cp > 0xffff ? 2 : 1;
      if (k === cls) e = i;
    }
    if (
      cls === WORD &&
      e === i &&
      src.charCodeAt(e) === 46 &&
      loneLetterAt(src, s) &&
      loneLetterAt(src, e + 1)
    ) {
      i = joinAbbreviation(src, s, tokens, html);
      continue;
    }
    pushToken(tokens, html, ascii ? src.slice(s, e) : foldRange(src, s, e), s, e, cls === SPACELESS);
    // Possessive 's: the s is not a word of its own ("NATO's" → NATO).
    const next = src.charCodeAt(i + 1);
    if (classAt(src, i) === APOS && (next === 115 || next === 83) && !isWordClass(classAt(src, i + 2)))
      i += 2;
  }
  return tokens;
}

/** Joins "U.S." / "U.N." style letters starting at `s`; returns the offset after the last letter. */
function joinAbbreviation(src: string, s: number, tokens: Token[], map: Mapping): number {
  let end = s + widthAt(src, s);
  while (classAt(src, end) === DOT && loneLetterAt(src, end + 1)) end += 1 + widthAt(src, end + 1);
  pushToken(tokens, map, foldRange(src, s, end).replace(/\./g, ''), s, end, false);
  return end;
}

/** Words of `text` in normalised form only (for fingerprints and tests): tokenize's words, without building the
 * offset map back to the input (two numbers per character, most of what fingerprinting an item allocated); with
 * `limit`, only the first words (a lead), however long the text. */
export function words(text: string, limit = Infinity): string[] {
  return scan({ text: decodeHtml(text), starts: null, ends: null }, limit).map((t) => t.word);
}
