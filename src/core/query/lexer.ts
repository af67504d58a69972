import { QuerySyntaxError } from './syntax-error.js';
import { asciiLower, FNV_PRIME, FNV_SEED, isAsciiAlnum } from './word-filter.js';

export type LexToken =
  | { kind: 'lparen' | 'rparen' | 'and' | 'or' | 'not' | 'minus' | 'eof'; col: number }
  | { kind: 'field'; col: number; name: string }
  | ({ kind: 'word'; col: number; text: string; exact: boolean } & PlainWord)
  | { kind: 'quoted'; col: number; text: string; exact: boolean; slop: number | null };

/**
 * A bare word of ASCII letters and digits, perhaps with a final '*' (most words of most queries), as the lexer
 * saw it: the parser looks it up by its place in the query and its hashes, and needs no string for it. Such a
 * word's `text` is '' (it is `query.slice(from, to)`); `plainEnd` is -1 for any other word.
 */
export interface PlainWord {
  from: number;
  to: number;
  /** Where the letters and digits end: `to`, or `to - 1` before a '*'. */
  plainEnd: number;
  /** wordHash of the letters and digits, and of their lower-case form. */
  hash: number;
  lowerHash: number;
  upper: boolean;
}

export const MAX_QUERY_LENGTH = 1000;
const MAX_SLOP = 100;

const WHITESPACE = /\s/;
function isSpace(c: string | undefined): boolean {
  if (c === undefined) return false;
  const code = c.charCodeAt(0);
  // ASCII answered without a regex: this runs for every character of every query.
  if (code < 128) return code === 32 || (code >= 9 && code <= 13);
  return WHITESPACE.test(c);
}
function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Characters that end a bare word. */
const isBreak = (c: string | undefined): boolean =>
  c === undefined || c === '(' || c === ')' || c === '"' || isSpace(c);

function failAt(query: string, problem: string, at: number): never {
  throw new QuerySyntaxError(problem, at + 1, query);
}

/** Every field a token of any kind has: one object shape, so the parser's reads stay monomorphic. */
interface TokenSlot extends PlainWord {
  kind: LexToken['kind'];
  col: number;
  name: string;
  text: string;
  exact: boolean;
  slop: number | null;
}

/**
 * Token objects reused by every `lex` call (compiling is not re-entrant, and the parser copies what it keeps
 * out of them): a query's tokens are the first `count` entries.
 */
const slots: TokenSlot[] = [];
let count = 0;

function emit(
  kind: LexToken['kind'],
  col: number,
  text = '',
  exact = false,
  slop: number | null = null,
): void {
  // Checked against the length, not read past it: a read out of bounds would throw optimised code away.
  if (count === slots.length) {
    slots.push({
      kind,
      col,
      name: '',
      text,
      exact,
      slop,
      from: 0,
      to: 0,
      plainEnd: -1,
      hash: 0,
      lowerHash: 0,
      upper: false,
    });
  } else {
    const t = slots[count]!;
    t.kind = kind;
    t.col = col;
    t.text = text;
    t.exact = exact;
    t.slop = slop;
    t.plainEnd = -1;
  }
  count++;
}

/**
 * Splits a query into tokens, valid until the next call: the tokens are `tokens()[0 .. returned count)`,
 * the last one `eof`. Columns are 1-based. Throws QuerySyntaxError for lexical problems.
 */
export function lex(query: string): number {
  count = 0;
  const n = query.length;
  let i = 0;
  while (i < n) {
    // Character codes, not one-character strings: this runs for every character of every query.
    const c = query.charCodeAt(i);
    if (c === 32 || (c >= 9 && c <= 13) || (c >= 128 && isSpace(query[i]))) {
      i++;
    } else if (c === 40 || c === 41) {
      emit(c === 40 ? 'lparen' : 'rparen', i + 1);
      i++;
    } else if (c === 45) {
      const next = query[i + 1];
      if ((isBreak(next) || next === '-') && next !== '(' && next !== '"')
        failAt(query, "'-' must be followed directly by a word, phrase or group", i);
      emit('minus', i + 1);
      i++;
    } else if (c === 61) {
      if (isBreak(query[i + 1]) && query[i + 1] !== '"') failAt(query, "missing word after '='", i);
      if (query[i + 1] === '"') i = lexQuoted(query, i + 1, i, true);
      else i = lexWord(query, i + 1, i, true);
    } else if (c === 34) {
      i = lexQuoted(query, i, i, false);
    } else {
      i = lexWord(query, i, i, false);
    }
  }
  emit('eof', n + 1);
  return count;
}

/** The token objects `lex` fills (see there). */
export function tokens(): readonly LexToken[] {
  return slots as readonly LexToken[];
}

/** The field prefix `query[from, colon]`, ':' included; returns where its operand starts. */
function lexField(query: string, from: number, colon: number): number {
  const after = colon + 1;
  if (after >= query.length || isSpace(query[after]) || query[after] === ')')
    failAt(query, `missing operand after '${query.slice(from, after)}'`, from);
  emit('field', from + 1);
  slots[count - 1]!.name = query.slice(from, colon);
  return after;
}

/** Whether the word `query[from, to)` is `op` (an operator's name). */
function isWordOf(query: string, from: number, to: number, op: string): boolean {
  return to - from === op.length && query.startsWith(op, from);
}

/**
 * A bare word from `from` (after a '=' when `exact`), or a field prefix: ASCII letters and ':' at the start of
 * a bare word (found while the word is scanned, not by a regex: no match object per word).
 */
function lexWord(query: string, from: number, col: number, exact: boolean): number {
  const n = query.length;
  // Hashed on the way (as wordHash, and lower-cased as the word's normal form) while it is ASCII letters
  // and digits: see PlainWord.
  let h = FNV_SEED;
  let lowerHash = FNV_SEED;
  let upper = false;
  let alnumEnd = -1;
  let letters = !exact;
  let j = from;
  for (; j < n; j++) {
    const c = query.charCodeAt(j);
    if (c === 40 || c === 41 || c === 34 || (c < 128 ? c === 32 || (c >= 9 && c <= 13) : isSpace(query[j])))
      break;
    if (letters && !isAsciiLetter(c)) {
      letters = false;
      if (c === 58 && j > from) return lexField(query, from, j);
    }
    if (alnumEnd >= 0) continue;
    if (!isAsciiAlnum(c)) {
      alnumEnd = j;
      continue;
    }
    h = Math.imul(h ^ c, FNV_PRIME);
    const lower = asciiLower(c);
    if (lower !== c) upper = true;
    lowerHash = Math.imul(lowerHash ^ lower, FNV_PRIME);
  }
  if (alnumEnd < 0) alnumEnd = j;
  if (
    !exact &&
    (isWordOf(query, from, j, 'AND') || isWordOf(query, from, j, 'OR') || isWordOf(query, from, j, 'NOT'))
  ) {
    emit(j - from === 2 ? 'or' : query.charCodeAt(from) === 65 ? 'and' : 'not', col + 1);
    return j;
  }
  const plain =
    !exact &&
    alnumEnd > from &&
    (alnumEnd === j || (alnumEnd === j - 1 && query.charCodeAt(alnumEnd) === 42));
  if (!plain) {
    const text = query.slice(from, j);
    emit('word', col + 1, exact ? `=${text}` : text, exact);
    return j;
  }
  emit('word', col + 1);
  const t = slots[count - 1]!;
  t.from = from;
  t.to = j;
  t.plainEnd = alnumEnd;
  t.hash = h;
  t.lowerHash = lowerHash;
  t.upper = upper;
  return j;
}

function lexQuoted(query: string, quoteAt: number, col: number, exact: boolean): number {
  const close = query.indexOf('"', quoteAt + 1);
  if (close < 0) failAt(query, 'unbalanced quote', quoteAt);
  const text = query.slice(quoteAt + 1, close);
  let j = close + 1;
  let slop: number | null = null;
  // Within bounds before reading: a read past the end would throw optimised code away (see `emit`).
  if (j < query.length && query[j] === '~') {
    const digits = /^[0-9]+/.exec(query.slice(j + 1, j + 8));
    if (!digits) failAt(query, "'~' must be followed by a number", j);
    slop = Number(digits![0]);
    if (slop > MAX_SLOP) failAt(query, `proximity over ${MAX_SLOP} words`, j);
    j += 1 + digits![0].length;
  }
  if (j < query.length && !isBreak(query[j])) failAt(query, 'missing space after closing quote', j);
  emit('quoted', col + 1, exact ? `=${text}` : text, exact, slop);
  return j;
}
