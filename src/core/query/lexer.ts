import { QuerySyntaxError } from './syntax-error.js';

export type LexToken =
  | { kind: 'lparen' | 'rparen' | 'and' | 'or' | 'not' | 'minus' | 'eof'; col: number }
  | { kind: 'field'; col: number; name: string }
  | { kind: 'word'; col: number; text: string; exact: boolean }
  | { kind: 'quoted'; col: number; text: string; exact: boolean; slop: number | null };

export const MAX_QUERY_LENGTH = 1000;
const MAX_SLOP = 100;
const FIELD = /([A-Za-z]+):/y;

const WHITESPACE = /\s/;
function isSpace(c: string | undefined): boolean {
  if (c === undefined) return false;
  const code = c.charCodeAt(0);
  // ASCII answered without a regex: this runs for every character of every query.
  if (code < 128) return code === 32 || (code >= 9 && code <= 13);
  return WHITESPACE.test(c);
}
/** Characters that end a bare word. */
const isBreak = (c: string | undefined): boolean =>
  c === undefined || c === '(' || c === ')' || c === '"' || isSpace(c);

/** Splits a query into tokens; columns are 1-based. Throws QuerySyntaxError for lexical problems. */
function failAt(query: string, problem: string, at: number): never {
  throw new QuerySyntaxError(problem, at + 1, query);
}

export function lex(query: string): LexToken[] {
  const out: LexToken[] = [];
  const fail = (problem: string, at: number): never => failAt(query, problem, at);
  const n = query.length;
  let i = 0;
  while (i < n) {
    const c = query[i];
    if (isSpace(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      out.push({ kind: c === '(' ? 'lparen' : 'rparen', col: i + 1 });
      i++;
    } else if (
      c === '-' &&
      (isBreak(query[i + 1]) || query[i + 1] === '-') &&
      query[i + 1] !== '(' &&
      query[i + 1] !== '"'
    ) {
      fail("'-' must be followed directly by a word, phrase or group", i);
    } else if (c === '-') {
      out.push({ kind: 'minus', col: i + 1 });
      i++;
    } else if (c === '=') {
      if (isBreak(query[i + 1]) && query[i + 1] !== '"') fail("missing word after '='", i);
      if (query[i + 1] === '"') i = lexQuoted(query, i + 1, i, true, out);
      else i = lexWord(query, i + 1, i, true, out);
    } else if (c === '"') {
      i = lexQuoted(query, i, i, false, out);
    } else {
      let field: RegExpExecArray | null = null;
      if (query.indexOf(':', i) >= 0) {
        FIELD.lastIndex = i;
        field = FIELD.exec(query);
      }
      if (field) {
        const after = i + field[0].length;
        if (isSpace(query[after]) || after >= n || query[after] === ')')
          fail(`missing operand after '${field[0]}'`, i);
        out.push({ kind: 'field', col: i + 1, name: field[1]! });
        i = after;
        continue;
      }
      i = lexWord(query, i, i, false, out);
    }
  }
  out.push({ kind: 'eof', col: n + 1 });
  return out;
}

function lexWord(query: string, from: number, col: number, exact: boolean, out: LexToken[]): number {
  let j = from;
  while (!isBreak(query[j])) j++;
  const text = query.slice(from, j);
  if (!exact && (text === 'AND' || text === 'OR' || text === 'NOT')) {
    out.push({ kind: text === 'AND' ? 'and' : text === 'OR' ? 'or' : 'not', col: col + 1 });
  } else {
    out.push({ kind: 'word', col: col + 1, text: exact ? `=${text}` : text, exact });
  }
  return j;
}

function lexQuoted(query: string, quoteAt: number, col: number, exact: boolean, out: LexToken[]): number {
  const fail = (problem: string, at: number): never => failAt(query, problem, at);
  const close = query.indexOf('"', quoteAt + 1);
  if (close < 0) fail('unbalanced quote', quoteAt);
  const text = query.slice(quoteAt + 1, close);
  let j = close + 1;
  let slop: number | null = null;
  if (query[j] === '~') {
    const digits = /^[0-9]+/.exec(query.slice(j + 1, j + 8));
    if (!digits) fail("'~' must be followed by a number", j);
    slop = Number(digits![0]);
    if (slop > MAX_SLOP) fail(`proximity over ${MAX_SLOP} words`, j);
    j += 1 + digits![0].length;
  }
  if (!isBreak(query[j])) fail('missing space after closing quote', j);
  out.push({ kind: 'quoted', col: col + 1, text: exact ? `=${text}` : text, exact, slop });
  return j;
}
