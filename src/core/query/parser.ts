import { tokenize } from '../text/index.js';
import { DEFAULT_FIELDS, FIELDS, fieldBit } from './ast.js';
import type { CompiledQuery, Field, QueryNode, QueryWord, Term, TermMode } from './ast.js';
import { CompiledTerm } from './compiled-term.js';
import { MAX_QUERY_LENGTH, lex, tokens } from './lexer.js';
import { positiveTermsOf, trueWithNoTerms } from './query-tree.js';
import type { LexToken } from './lexer.js';
import { QuerySyntaxError } from './syntax-error.js';
import { wordId } from './word-ids.js';
import { FNV_PRIME, FNV_SEED } from './word-filter.js';
import { HashedWordMap } from './hashed-word-map.js';

export const MAX_TERMS = 64;
const MIN_PREFIX = 3;

/** One shared list per field scope: a compiled query lives as long as its watch. */
const SINGLE_FIELDS = new Map<Field, readonly Field[]>(FIELDS.map((f) => [f, [f]]));

/**
 * Scratch stacks shared by all parses (compiling is not re-entrant): children and terms are gathered here and
 * copied once into exact-size arrays, instead of into a new growing array per node and per query.
 */
const nodeStack: QueryNode[] = [];
const termStack: Term[] = [];

const OPERATOR_NAMES: Record<string, string> = { and: 'AND', or: 'OR', not: 'NOT', minus: "'-'" };

/** The node of the children pushed on `nodeStack` since `from` (popping them): one child stands alone. */
function collapse(kind: 'and' | 'or', from: number): QueryNode {
  const node: QueryNode =
    nodeStack.length - from === 1 ? nodeStack[from]! : { kind, children: nodeStack.slice(from) };
  // Popping, not setting `length` (a call into the runtime): a node has a few children.
  while (nodeStack.length > from) nodeStack.pop();
  return node;
}

class Parser {
  private pos = 0;
  readonly terms: Term[] = termStack;

  constructor(
    private readonly query: string,
    private readonly tokens: readonly LexToken[],
    private readonly count: number,
  ) {}

  private fail(problem: string, col: number): never {
    throw new QuerySyntaxError(problem, col, this.query);
  }

  private peek(): LexToken {
    // Tokens past `count` are left over from earlier queries: past the end, the `eof` token answers.
    return this.tokens[Math.min(this.pos, this.count - 1)]!;
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
    const from = nodeStack.length;
    nodeStack.push(this.parseAnd(fields));
    while (this.peek().kind === 'or') {
      const op = this.tokens[this.pos++]!;
      this.requireOperand(op);
      nodeStack.push(this.parseAnd(fields));
    }
    return collapse('or', from);
  }

  private parseAnd(fields: readonly Field[]): QueryNode {
    const from = nodeStack.length;
    nodeStack.push(this.parseUnary(fields));
    for (;;) {
      const next = this.peek();
      if (next.kind === 'eof' || next.kind === 'rparen' || next.kind === 'or') break;
      if (next.kind === 'and') {
        this.pos++;
        this.requireOperand(next);
      }
      nodeStack.push(this.parseUnary(fields));
    }
    return collapse('and', from);
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
        return this.parseUnary(SINGLE_FIELDS.get(field)!);
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
        // The term is its own leaf node (see CompiledTerm).
        return this.buildTerm(t, fields);
      case 'rparen':
        return this.fail('unbalanced parenthesis', t.col);
      case 'and':
      case 'or':
        return this.fail(`missing operand before ${OPERATOR_NAMES[t.kind]}`, t.col);
      default:
        return this.fail('missing operand', t.col);
    }
  }

  private buildTerm(
    t: Extract<LexToken, { kind: 'word' | 'quoted' }>,
    fields: readonly Field[],
  ): CompiledTerm {
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
    const term = new CompiledTerm(
      this.terms.length,
      // A plain word as written keeps the shared string, and the lexer's copy dies young.
      words.length === 1 && t.text === words[0]!.exact ? words[0]!.exact : t.text,
      mode,
      words,
      t.exact,
      t.kind === 'quoted' ? (t.slop ?? 0) : 0,
      t.col,
      fieldMaskOf(fields),
      !words[0]!.spaceless && (mode === 'exact' || mode === 'word'),
      anchorOf(words),
    );
    this.terms.push(term);
    return term;
  }
}

/** Whether `s` is ASCII letters and digits in runs separated by single spaces (what most query words are). */
function isPlainAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const alnum = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
    if (!alnum && (c !== 32 || i === 0 || i === s.length - 1 || s.charCodeAt(i - 1) === 32)) return false;
  }
  return s.length > 0;
}

/**
 * The one-word list of each plain ASCII word as written, shared by every term of that word (the lists and
 * their words are never mutated): a compiled query lives as long as its watch, and watches repeat words, so
 * 100,000 watches keep far fewer objects (and the garbage collector copies far fewer while they are built),
 * and each word is numbered (word-ids.ts) once here instead of being looked up again by every table of the
 * index. Cleared when full: a long-running process meets new words forever, and forgetting only costs sharing.
 */
const plainWords = new HashedWordMap();
/** By the value `plainWords` holds: the list. */
const plainLists: Array<readonly QueryWord[]> = [];
const PLAIN_WORDS_MAX = 100_000;

/** The shared one-word list of a plain ASCII word without spaces. */
function plainWord(exact: string): readonly QueryWord[] {
  // The word's hash and its lower-case form's, in one pass (wordHash's FNV-1a): no string is built to look up.
  let h = FNV_SEED;
  let lowerHash = FNV_SEED;
  let upper = false;
  for (let i = 0; i < exact.length; i++) {
    const c = exact.charCodeAt(i);
    h = Math.imul(h ^ c, FNV_PRIME);
    const isUpper = c >= 65 && c <= 90;
    if (isUpper) upper = true;
    lowerHash = Math.imul(lowerHash ^ (isUpper ? c + 32 : c), FNV_PRIME);
  }
  const at = plainWords.get(exact, h, -1);
  if (at >= 0) return plainLists[at]!;
  if (plainWords.size >= PLAIN_WORDS_MAX) {
    plainWords.clear();
    plainLists.length = 0;
  }
  // One string for both forms when the word is already lower case.
  const word = upper ? exact.toLowerCase() : exact;
  const list = [{ word, exact, spaceless: false, id: wordId(word, lowerHash) }];
  plainWords.set(exact, h, plainLists.push(list) - 1);
  return list;
}

/**
 * The normalised words of a term: what `tokenize` gives, without its offsets. Plain ASCII words (nearly all
 * query words) need none of the tokenizer's decoding and folding, so they skip it.
 */
function queryWords(source: string): readonly QueryWord[] {
  if (isPlainAscii(source)) {
    if (source.indexOf(' ') < 0) return plainWord(source);
    // `map`, not pushes: an exact-size list (a phrase's list lives as long as its watch).
    return source.split(' ').map((part) => plainWord(part)[0]!);
  }
  return tokenize(source).map((t) => ({
    word: t.word,
    exact: t.exact,
    spaceless: t.spaceless,
    id: wordId(t.word),
  }));
}

function fieldMaskOf(fields: readonly Field[]): number {
  let mask = 0;
  for (let i = 0; i < fields.length; i++) mask |= fieldBit(fields[i]!);
  return mask;
}

/** Phrase or near: the longest word not of a spaceless script anchors the check (-1 when there is none). */
function anchorOf(words: readonly QueryWord[]): number {
  let anchor = -1;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (!w.spaceless && (anchor < 0 || w.word.length > words[anchor]!.word.length)) anchor = i;
  }
  return anchor;
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
  // A syntax error may have left entries behind.
  if (nodeStack.length > 0) nodeStack.length = 0;
  while (termStack.length > 0) termStack.pop();
  const count = lex(query);
  const parser = new Parser(query, tokens(), count);
  const root = parser.parseQuery();
  // A query true for a story with no words would fire on every story: it lacks a term that must be present.
  if (trueWithNoTerms(root)) {
    throw new QuerySyntaxError(
      'query needs a term that must be present (NOT alone matches everything)',
      1,
      query,
    );
  }
  const terms = parser.terms.slice();
  return { source: query, root, terms, positiveTerms: positiveTermsOf(root, terms.length) };
}
