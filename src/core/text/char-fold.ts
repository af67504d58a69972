/**
 * Per-code-point folding and classification for the tokenizer. Results are cached because news text
 * reuses a small set of non-ASCII characters, and String#normalize per character is slow.
 */

/** Character classes after folding. */
export const SEP = 0;
export const WORD = 1; // letters and digits of scripts written with spaces
export const SPACELESS = 2; // Han, Hiragana, Katakana, Hangul, Thai: words are not separated by spaces
export const APOS = 3;
export const DOT = 4;
export type CharClass = typeof SEP | typeof WORD | typeof SPACELESS | typeof APOS | typeof DOT;

// Letters that NFKD leaves whole but that readers treat as plain Latin letters.
const EXTRA_FOLD: Record<string, string> = {
  ø: 'o', Ø: 'O', ß: 'ss', ẞ: 'SS', æ: 'ae', Æ: 'AE', œ: 'oe', Œ: 'OE', đ: 'd', Đ: 'D', ł: 'l', Ł: 'L',
  ı: 'i', þ: 'th', Þ: 'TH', ð: 'd', Ð: 'D', ħ: 'h', Ħ: 'H', ŧ: 't', Ŧ: 'T', ŀ: 'l', Ŀ: 'L',
}; // prettier-ignore
const EXTRA_FOLD_RE = /[øØßẞæÆœŒđĐłŁıþÞðÐħĦŧŦŀĿ]/g;

// Soft hyphen, zero-width space/joiners, word joiner, BOM, Mongolian vowel separator: invisible, not separators.
const INVISIBLE = new Set([0xad, 0x200b, 0x200c, 0x200d, 0x2060, 0xfeff, 0x180e]);
// Curly, modifier and look-alike apostrophes.
const APOSTROPHES = new Set([
  0x27, 0x2019, 0x2018, 0x02bc, 0x02bb, 0x02bd, 0x2032, 0x0060, 0x00b4, 0xff07, 0x201b,
]);

const SPACELESS_RE =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}\u30fc]/u;
const MARK_RE = /\p{M}/gu;

const foldCache = new Map<number, string>();

/** Whether a combining mark is part of a spaceless script's spelling (Thai vowels, kana voicing) and must stay. */
function isSpacelessMark(cp: number): boolean {
  return (cp >= 0x0e00 && cp <= 0x0e7f) || cp === 0x3099 || cp === 0x309a;
}

function computeFold(cp: number): string {
  if (INVISIBLE.has(cp)) return '';
  if (APOSTROPHES.has(cp)) return "'";
  const ch = String.fromCodePoint(cp);
  if (isSpacelessMark(cp)) return ch;
  // Hangul syllables and kana must not be decomposed: NFKD would split them into jamo/marks.
  if (SPACELESS_RE.test(ch)) return ch.normalize('NFKC');
  const extra = EXTRA_FOLD[ch];
  if (extra !== undefined) return extra;
  return ch
    .normalize('NFKD')
    .replace(MARK_RE, '')
    .replace(EXTRA_FOLD_RE, (m) => EXTRA_FOLD[m] ?? m);
}

/** Folded form of one non-ASCII code point: accents removed, compatibility forms expanded, may be ''. */
export function foldCodePoint(cp: number): string {
  let f = foldCache.get(cp);
  if (f === undefined) {
    f = computeFold(cp);
    foldCache.set(cp, f);
  }
  return f;
}

/** What the tokenizer needs to know about one non-ASCII code point. */
export interface CharInfo {
  /** Folded text ('' for invisible characters). */
  readonly fold: string;
  /** Class of the folded text as a whole: a fold that mixes classes (½ → "1⁄2") is a separator. */
  readonly cls: CharClass | typeof INVISIBLE_CLASS;
  /** A lone letter can be part of a dotted abbreviation ("É.U."). */
  readonly letter: boolean;
}

/** Characters that vanish without separating words (soft hyphen, zero-width space). */
export const INVISIBLE_CLASS = 5;

const infoCache = new Map<number, CharInfo>();
const WORD_RE = /^[\p{L}\p{N}]+$/u;
const DIGIT_RE = /\p{N}/u;

function computeInfo(cp: number): CharInfo {
  const fold = foldCodePoint(cp);
  if (fold === '') return { fold, cls: INVISIBLE_CLASS, letter: false };
  if (fold === "'") return { fold, cls: APOS, letter: false };
  if (fold === '.') return { fold, cls: DOT, letter: false };
  const ch = String.fromCodePoint(cp);
  if (isSpacelessMark(cp) || SPACELESS_RE.test(ch)) return { fold, cls: SPACELESS, letter: false };
  if (WORD_RE.test(fold)) return { fold, cls: WORD, letter: fold.length === 1 && !DIGIT_RE.test(fold) };
  return { fold, cls: SEP, letter: false };
}

/** Folding and class of a non-ASCII code point (cached). */
export function charInfo(cp: number): CharInfo {
  let info = infoCache.get(cp);
  if (info === undefined) {
    info = computeInfo(cp);
    infoCache.set(cp, info);
  }
  return info;
}

/** Classes of ASCII characters, indexed by char code. */
export const ASCII_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const isAlnum = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  ASCII_CLASS[c] = isAlnum ? WORD : c === 39 ? APOS : c === 46 ? DOT : SEP;
}
