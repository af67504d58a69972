export type { CompiledQuery, Field, QueryNode, QueryWord, Term, TermMode } from './ast.js';
export { FIELDS } from './ast.js';
export { QuerySyntaxError } from './syntax-error.js';
export { compileQuery, MAX_TERMS } from './parser.js';
export { MAX_QUERY_LENGTH } from './lexer.js';
export type { Hit, MatchInput } from './item-view.js';
export { matchQuery } from './matcher.js';
export { referenceMatch } from './reference-matcher.js';
export { WatchIndex } from './watch-index.js';
