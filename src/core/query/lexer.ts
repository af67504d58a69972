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

function failAt(query: string, problem: string, at: number): never {
  throw new QuerySyntaxError(problem, at + 1, query);
}

/** Every field a token of any kind has: one object shape, so the parser's reads stay monomorphic. */
interface TokenSlot {
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
  const t = slots[count];
  if (t === undefined) slots.push({ kind, col, name: '', text, exact, slop });
  else {
    t.kind = kind;
    t.col = col;
    t.text = text;
    t.exact = exact;
    t.slop = slop;
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
    const c = query[i];
    if (isSpace(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      emit(c === '(' ? 'lparen' : 'rparen', i + 1);
      i++;
    } else if (
      c === '-' &&
      (isBreak(query[i + 1]) || query[i + 1] === '-') &&
      query[i + 1] !== '(' &&
      query[i + 1] !== '"'
    ) {
      failAt(query, "'-' must be followed directly by a word, phrase or group", i);
    } else if (c === '-') {
      emit('minus', i + 1);
      i++;
    } else if (c === '=') {
      if (isBreak(query[i + 1]) && query[i + 1] !== '"') failAt(query, "missing word after '='", i);
      if (query[i + 1] === '"') i = lexQuoted(query, i + 1, i, true);
      else i = lexWord(query, i + 1, i, true);
    } else if (c === '"') {
      i = lexQuoted(query, i, i, false);
    } else {
      let field: RegExpExecArray | null = null;
      if (query.indexOf(':', i) >= 0) {
        FIELD.lastIndex = i;
        field = FIELD.exec(query);
      }
      if (field) {
        const after = i + field[0].length;
        if (isSpace(query[after]) || after >= n || query[after] === ')')
          failAt(query, `missing operand after '${field[0]}'`, i);
        emit('field', i + 1);
        slots[count - 1]!.name = field[1]!;
        i = after;
        continue;
      }
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

function lexWord(query: string, from: number, col: number, exact: boolean): number {
  let j = from;
  while (!isBreak(query[j])) j++;
  const text = query.slice(from, j);
  if (!exact && (text === 'AND' || text === 'OR' || text === 'NOT')) {
    emit(text === 'AND' ? 'and' : text === 'OR' ? 'or' : 'not', col + 1);
  } else {
    emit('word', col + 1, exact ? `=${text}` : text, exact);
  }
  return j;
}

function lexQuoted(query: string, quoteAt: number, col: number, exact: boolean): number {
  const close = query.indexOf('"', quoteAt + 1);
  if (close < 0) failAt(query, 'unbalanced quote', quoteAt);
  const text = query.slice(quoteAt + 1, close);
  let j = close + 1;
  let slop: number | null = null;
  if (query[j] === '~') {
    const digits = /^[0-9]+/.exec(query.slice(j + 1, j + 8));
    if (!digits) failAt(query, "'~' must be followed by a number", j);
    slop = Number(digits![0]);
    if (slop > MAX_SLOP) failAt(query, `proximity over ${MAX_SLOP} words`, j);
    j += 1 + digits![0].length;
  }
  if (!isBreak(query[j])) failAt(query, 'missing space after closing quote', j);
  emit('quoted', col + 1, exact ? `=${text}` : text, exact, slop);
  return j;
}
