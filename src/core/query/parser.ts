import { DEFAULT_FIELDS, FIELDS } from './ast.js';
import type { CompiledQuery, Field, QueryNode, QueryWord, Term, TermMode } from './ast.js';
import { anchorOf, CompiledTerm, fieldMaskOf, packA, packB } from './compiled-term.js';
import { CompiledQueryObject, groupNode, listOfOne, notNode } from './query-nodes.js';
import { MAX_QUERY_LENGTH, lex, tokens } from './lexer.js';
import { positiveTermsOf, trueWithNoTerms } from './query-tree.js';
import type { LexToken } from './lexer.js';
import { QuerySyntaxError } from './syntax-error.js';
import {
  codePointLength,
  lastEntry,
  offerTerm,
  plainExact,
  plainWordAt,
  queryWords,
  sharedList,
  sharedTerm,
} from './query-words.js';

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
    nodeStack.length - from === 1 ? nodeStack[from]! : groupNode(kind, nodeStack.slice(from));
  // Popping, not setting `length` (a call into the runtime): a node has a few children.
  while (nodeStack.length > from) nodeStack.pop();
  return node;
}

/** One parser for every query (compiling is not re-entrant): `reset` starts it on a query's tokens. */
class Parser {
  private pos = 0;
  readonly terms: Term[] = termStack;
  private query = '';
  private tokens: readonly LexToken[] = [];
  private count = 0;
  /** Whether a NOT node was made: without one, no tree walk is needed to learn what NOT changes. */
  sawNot = false;
  /** The mode `wordsOf` found. */
  private mode: TermMode = 'word';
  /** Where the first term is shared (see query-words.ts), or -1: a query of that one term shares its list. */
  firstEntry = -1;

  reset(query: string, tokens: readonly LexToken[], count: number): void {
    this.query = query;
    this.tokens = tokens;
    this.count = count;
    this.pos = 0;
    this.firstEntry = -1;
    this.sawNot = false;
  }

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
      if (child.kind === 'not') return child.child;
      this.sawNot = true;
      return notNode(child);
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
    const plain = t.kind === 'word' && t.plainEnd >= 0;
    const words = plain
      ? plainWordAt(this.query, t.from, t.plainEnd, t.hash, t.lowerHash, t.upper)
      : this.wordsOf(t);
    let mode = this.mode;
    if (plain) {
      mode = t.plainEnd < t.to ? 'prefix' : 'word';
      if (mode === 'prefix' && t.plainEnd - t.from < MIN_PREFIX) this.failShortPrefix(t.col);
    }
    // A plain word is not of a spaceless script and is its own anchor: its word is not read here (a cache
    // miss per term, the lists being many and scattered).
    const a = packA(
      mode,
      t.exact,
      t.kind === 'quoted' ? (t.slop ?? 0) : 0,
      fieldMaskOf(fields),
      (plain || !words[0]!.spaceless) && (mode === 'exact' || mode === 'word'),
    );
    const b = packB(this.terms.length, t.col, plain ? 0 : anchorOf(words));
    // A query's first term is the one most often alike in other queries (column 1, no field): it is shared,
    // with its `[term]` (the term list of a query of that one term).
    if (this.terms.length > 0) {
      const term = new CompiledTerm(this.textOf(t, words), words, a, b);
      this.terms.push(term);
      return term;
    }
    let term = sharedTerm(a, b);
    if (term === undefined) {
      term = new CompiledTerm(this.textOf(t, words), words, a, b);
      this.firstEntry = offerTerm(term);
    } else this.firstEntry = lastEntry();
    this.terms.push(term);
    return term;
  }

  /** The words of a term other than a plain word (see PlainWord), its mode left in `mode`. */
  private wordsOf(t: Extract<LexToken, { kind: 'word' | 'quoted' }>): readonly QueryWord[] {
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
    if (prefix) {
      if (words.length > 1) this.fail('a prefix must be a single word', t.col);
      if (codePointLength(words[0]!.word) < MIN_PREFIX) this.failShortPrefix(t.col);
      this.mode = 'prefix';
    } else if (words.length > 1) {
      this.mode = t.kind === 'quoted' && t.slop !== null ? 'near' : 'phrase';
    } else {
      this.mode = t.kind === 'quoted' || t.exact ? 'exact' : 'word';
    }
    return words;
  }

  private failShortPrefix(col: number): never {
    return this.fail(`prefix too short (${MIN_PREFIX} characters needed before *)`, col);
  }

  /** The term as written: a word keeps the shared string of its QueryWord, and the lexer's copy dies young. */
  private textOf(t: Extract<LexToken, { kind: 'word' | 'quoted' }>, words: readonly QueryWord[]): string {
    if (t.kind === 'word' && t.plainEnd >= 0) {
      return t.plainEnd === t.to ? plainExact() : this.query.slice(t.from, t.to);
    }
    return words.length === 1 && t.text === words[0]!.exact ? words[0]!.exact : t.text;
  }
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
  parser.reset(query, tokens(), count);
  const root = parser.parseQuery();
  // A query true for a story with no words would fire on every story: it lacks a term that must be present.
  if (parser.sawNot && trueWithNoTerms(root)) {
    throw new QuerySyntaxError(
      'query needs a term that must be present (NOT alone matches everything)',
      1,
      query,
    );
  }
  const terms = termListOf(root);
  return new CompiledQueryObject(query, root, terms, positiveTermsOf(root, terms.length, parser.sawNot));
}

const parser = new Parser();

/**
 * The query's term list, shared where an equal list exists (a query lives as long as its watch): a single
 * term's `[term]`, or the children of an AND or OR of terms (they are the terms, in order).
 */
function termListOf(root: QueryNode): readonly Term[] {
  const terms = parser.terms;
  if (terms.length === 1 && root.kind === 'term' && root.term === terms[0]) {
    return parser.firstEntry >= 0 ? sharedList(parser.firstEntry) : listOfOne(root.term);
  }
  if (root.kind === 'and' || root.kind === 'or') {
    const children = root.children;
    let same = children.length === terms.length;
    for (let i = 0; same && i < children.length; i++) same = children[i] === terms[i];
    if (same) return children as readonly CompiledTerm[];
  }
  return terms.slice();
}
