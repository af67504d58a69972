/** Fields a term can search. With no field, a term searches title and summary. */
export type Field = 'title' | 'summary' | 'source' | 'author' | 'category';

export const FIELDS: readonly Field[] = ['title', 'summary', 'source', 'author', 'category'];
export const DEFAULT_FIELDS: readonly Field[] = ['title', 'summary'];
export const FIELD_BIT: Record<Field, number> = { title: 1, summary: 2, source: 4, author: 8, category: 16 };

/**
 * FIELD_BIT[field] without a keyed look-up by a variable name, which V8 answers slowly (this runs for every
 * segment of every item and every term compiled).
 */
export function fieldBit(field: Field): number {
  switch (field) {
    case 'title':
      return FIELD_BIT.title;
    case 'summary':
      return FIELD_BIT.summary;
    case 'source':
      return FIELD_BIT.source;
    case 'author':
      return FIELD_BIT.author;
    default:
      return FIELD_BIT.category;
  }
}

/**
 * How a term's words match text words:
 * - `word`: one word, also its simple plural (+s, +es, consonant+y → ies);
 * - `exact`: one word exactly (quoted, or `=` for exact case);
 * - `prefix`: any word starting with the word;
 * - `phrase`: the words adjacent and in order;
 * - `near`: all the words in any order within `slop` other words.
 * Words in scripts written without spaces (`spaceless`) always match as substrings of a text word.
 */
export type TermMode = 'word' | 'exact' | 'prefix' | 'phrase' | 'near';

export interface QueryWord {
  /** Normalised, lower case. */
  word: string;
  /** Normalised, case kept (compared when the term is case-sensitive). */
  exact: string;
  spaceless: boolean;
  /** The number of `word` (see word-ids.ts): the index's tables are indexed by it. */
  id: number;
}

export interface Term {
  /** Index in the query's term list. */
  readonly index: number;
  /** The term as written, without field prefix, quotes or `~N` (e.g. `South Korea`, `Ukrain*`, `=US`). */
  readonly text: string;
  readonly mode: TermMode;
  readonly words: readonly QueryWord[];
  readonly caseSensitive: boolean;
  /** For `near`: how many other words may stand between the words. */
  readonly slop: number;
  readonly fields: readonly Field[];
  /** 1-based column of the term in the query. */
  readonly column: number;
  /** `fields` as a bit set of FIELD_BIT. */
  readonly fieldMask: number;
  /**
   * Word or exact term of a script with spaces: found by looking up the text words it can match (its word,
   * and for `word` its simple plurals). The forms are made when first needed: a compiled query lives as long
   * as its watch, and most terms are never verified.
   */
  readonly lookup: boolean;
  /** Phrase or near: the word whose occurrences anchor the check (-1 when all words are spaceless). */
  readonly anchor: number;
}

export type QueryNode =
  | { readonly kind: 'term'; readonly term: Term }
  | { readonly kind: 'and'; readonly children: readonly QueryNode[] }
  | { readonly kind: 'or'; readonly children: readonly QueryNode[] }
  | { readonly kind: 'not'; readonly child: QueryNode };

export interface CompiledQuery {
  readonly source: string;
  readonly root: QueryNode;
  readonly terms: readonly Term[];
  /** Indexes of the terms under an even number of NOTs: only these are reported as hits. */
  readonly positiveTerms: readonly number[];
}

/** Evaluates a query tree given each term's truth (by term index). */
export function evaluate(node: QueryNode, termValue: (t: Term) => boolean): boolean {
  switch (node.kind) {
    case 'term':
      return termValue(node.term);
    case 'and':
      return node.children.every((c) => evaluate(c, termValue));
    case 'or':
      return node.children.some((c) => evaluate(c, termValue));
    case 'not':
      return !evaluate(node.child, termValue);
  }
}
