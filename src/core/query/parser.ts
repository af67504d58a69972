import { tokenize } from '../text/index.js';
import { DEFAULT_FIELDS, FIELD_BIT, FIELDS, evaluate } from './ast.js';
import type { CompiledQuery, Field, QueryNode, QueryWord, Term, TermMode } from './ast.js';
import { MAX_QUERY_LENGTH, lex } from './lexer.js';
import type { LexToken } from './lexer.js';
import { QuerySyntaxError } from './syntax-error.js';

export const MAX_TERMS = 64;
const MIN_PREFIX = 3;

const OPERATOR_NAMES: Record<string, string> = { and: 'AND', or: 'OR', not: 'NOT', minus: "'-'" };

class Parser {
  private pos = 0;
  readonly terms: Term[] = [];

  constructor(
    private readonly query: string,
    private readonly tokens: LexToken[],
  ) {}

  private fail(problem: string, col: number): never {
    throw new QuerySyntaxError(problem, col, this.query);
  }

  private peek(): LexToken {
    return this.tokens[this.pos] ?? (this.tokens[this.tokens.length - 1] as LexToken);
  }

  private requireOperand(op: LexToken): void {
    const next = this.peek().kind;
    if (next === 'eof' || next === 'rparen' || next === 'or' || next === 'and') {
      this.fail(`missing operand after ${OPERATOR_NAMES[op.kind] ?? op.kind}`, op.col);
    }
  }

  parseQuery(): QueryNode {
    const first = this.peek();
    if (first.kind === 'eof') this.fail('empty query', 1);
    const node = this.parseOr(DEFAULT_FIELDS);
    const rest = this.peek();
    if (rest.kind === 'rparen') this.fail('unbalanced parenthesis', rest.col);
    return node;
  }

  private parseOr(fields: readonly Field[]): QueryNode {
    const children = [this.parseAnd(fields)];
    while (this.peek().kind === 'or') {
      const op = this.tokens[this.pos++]!;
      this.requireOperand(op);
      children.push(this.parseAnd(fields));
    }
    // slice(): a pushed-to array keeps spare capacity, and compiled queries live as long as their watch.
    return children.length === 1 ? children[0]! : { kind: 'or', children: children.slice() };
  }

  private parseAnd(fields: readonly Field[]): QueryNode {
    const children = [this.parseUnary(fields)];
    for (;;) {
      const next = this.peek();
      if (next.kind === 'eof' || next.kind === 'rparen' || next.kind === 'or') break;
      if (next.kind === 'and') {
        this.pos++;
        this.requireOperand(next);
      }
      children.push(this.parseUnary(fields));
    }
    return children.length === 1 ? children[0]! : { kind: 'and', children: children.slice() };
  }

  private parseUnary(fields: readonly Field[]): QueryNode {
    const t = this.peek();
    if (t.kind === 'not' || t.kind === 'minus') {
      this.pos++;
      this.requireOperand(t);
      const child = this.parseUnary(fields);
      return child.kind === 'not' ? child.child : { kind: 'not', child };
    }
    return this.parsePrimary(fields);
  }

  private parsePrimary(fields: readonly Field[]): QueryNode {
    const t = this.peek();
    switch (t.kind) {
      case 'field': {
        const field = t.name.toLowerCase() as Field;
        if (!FIELDS.includes(field)) this.fail(`unknown field '${t.name}'`, t.col);
        this.pos++;
        return this.parseUnary([field]);
      }
      case 'lparen': {
        this.pos++;
        if (this.peek().kind === 'rparen') this.fail('empty group', t.col);
        if (this.peek().kind === 'eof') this.fail('unbalanced parenthesis', t.col);
        const inner = this.parseOr(fields);
        if (this.peek().kind !== 'rparen') this.fail('unbalanced parenthesis', t.col);
        this.pos++;
        return inner;
      }
      case 'word':
      case 'quoted':
        this.pos++;
        return { kind: 'term', term: this.buildTerm(t, fields) };
      case 'rparen':
        return this.fail('unbalanced parenthesis', t.col);
      case 'and':
      case 'or':
        return this.fail(`missing operand before ${OPERATOR_NAMES[t.kind]}`, t.col);
      default:
        return this.fail('missing operand', t.col);
    }
  }

  private buildTerm(t: Extract<LexToken, { kind: 'word' | 'quoted' }>, fields: readonly Field[]): Term {
    if (this.terms.length >= MAX_TERMS) this.fail(`more than ${MAX_TERMS} terms`, t.col);
    const body = t.exact ? t.text.slice(1) : t.text;
    let prefix = false;
    let source = body;
    if (t.kind === 'word') {
      const star = body.indexOf('*');
      if (star >= 0 && star !== body.length - 1)
        this.fail("'*' is only allowed at the end of a word", t.col + star);
      if (star >= 0) {
        prefix = true;
        source = body.slice(0, -1);
      }
    }
    const words = queryWords(source);
    if (words.length === 0)
      this.fail(t.kind === 'quoted' ? 'empty phrase' : 'term has no letters or digits', t.col);
    let mode: TermMode;
    if (prefix) {
      if (words.length > 1) this.fail('a prefix must be a single word', t.col);
      if ([...words[0]!.word].length < MIN_PREFIX)
        this.fail(`prefix too short (${MIN_PREFIX} characters needed before *)`, t.col);
      mode = 'prefix';
    } else if (words.length > 1) {
      mode = t.kind === 'quoted' && t.slop !== null ? 'near' : 'phrase';
    } else {
      mode = t.kind === 'quoted' || t.exact ? 'exact' : 'word';
    }
    const hints = verifierHints(mode, words, fields);
    const term: Term = {
      index: this.terms.length,
      text: t.text,
      mode,
      words,
      caseSensitive: t.exact,
      slop: t.kind === 'quoted' ? (t.slop ?? 0) : 0,
      fields,
      column: t.col,
      fieldMask: hints.fieldMask,
      lookups: hints.lookups,
      anchor: hints.anchor,
    };
    this.terms.push(term);
    return term;
  }
}

const CONSONANT_Y = /[b-df-hj-np-tv-z]y$/;

/** Whether `s` is ASCII letters and digits in runs separated by single spaces (what most query words are). */
function isPlainAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const alnum = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
    if (!alnum && (c !== 32 || i === 0 || i === s.length - 1 || s.charCodeAt(i - 1) === 32)) return false;
  }
  return s.length > 0;
}

function queryWord(exact: string): QueryWord {
  const word = exact.toLowerCase();
  // One string for both forms when the word is already lower case: a compiled query lives as long as its watch.
  return { word: word === exact ? exact : word, exact, spaceless: false };
}

/**
 * The normalised words of a term: what `tokenize` gives, without its offsets. Plain ASCII words (nearly all
 * query words) need none of the tokenizer's decoding and folding, so they skip it.
 */
function queryWords(source: string): QueryWord[] {
  if (isPlainAscii(source)) {
    return source.indexOf(' ') < 0 ? [queryWord(source)] : source.split(' ').map(queryWord);
  }
  return tokenize(source).map((t) => ({ word: t.word, exact: t.exact, spaceless: t.spaceless }));
}

/** What the engine precomputes per term so that verifying it is a few table look-ups. */
function verifierHints(
  mode: TermMode,
  words: QueryWord[],
  fields: readonly Field[],
): Pick<Term, 'fieldMask' | 'lookups' | 'anchor'> {
  const fieldMask = fields.reduce((m, f) => m | FIELD_BIT[f], 0);
  const first = words[0]!;
  let lookups: string[] | null = null;
  if (!first.spaceless && mode === 'exact') lookups = [first.word];
  if (!first.spaceless && mode === 'word') {
    const w = first.word;
    lookups = CONSONANT_Y.test(w) ? [w, `${w}s`, `${w}es`, `${w.slice(0, -1)}ies`] : [w, `${w}s`, `${w}es`];
  }
  let anchor = -1;
  words.forEach((w, i) => {
    if (!w.spaceless && (anchor < 0 || w.word.length > words[anchor]!.word.length)) anchor = i;
  });
  return { fieldMask, lookups, anchor };
}

function positiveTermIndexes(node: QueryNode, negated: boolean, out: number[]): number[] {
  if (node.kind === 'term') {
    if (!negated) out.push(node.term.index);
  } else if (node.kind === 'not') {
    positiveTermIndexes(node.child, !negated, out);
  } else {
    for (const c of node.children) positiveTermIndexes(c, negated, out);
  }
  return out;
}

/** Parses and checks a watch query. Throws QuerySyntaxError with the column of the problem. */
export function compileQuery(query: string): CompiledQuery {
  if (query.length > MAX_QUERY_LENGTH) {
    throw new QuerySyntaxError(
      `query longer than ${MAX_QUERY_LENGTH} characters`,
      MAX_QUERY_LENGTH + 1,
      query,
    );
  }
  const parser = new Parser(query, lex(query));
  const root = parser.parseQuery();
  // A query true for a story with no words would fire on every story: it lacks a term that must be present.
  if (evaluate(root, () => false)) {
    throw new QuerySyntaxError(
      'query needs a term that must be present (NOT alone matches everything)',
      1,
      query,
    );
  }
  const terms = parser.terms.slice();
  return { source: query, root, terms, positiveTerms: positiveTermIndexes(root, false, []).slice() };
}
