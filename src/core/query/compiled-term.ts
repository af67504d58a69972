import { DEFAULT_FIELDS, FIELD_BIT, FIELDS } from './ast.js';
import type { Field, QueryWord, Term, TermMode } from './ast.js';
import { lookupForms } from './term-match.js';

const MODES: readonly TermMode[] = ['word', 'exact', 'prefix', 'phrase', 'near'];

/** The field list of each field mask, shared: `[title, summary]` is DEFAULT_FIELDS itself. */
const FIELDS_OF: ReadonlyArray<readonly Field[]> = Array.from({ length: 32 }, (_, mask) =>
  mask === (FIELD_BIT.title | FIELD_BIT.summary)
    ? DEFAULT_FIELDS
    : FIELDS.filter((f) => (mask & FIELD_BIT[f]) !== 0),
);

/**
 * A term as the parser stores it: four slots instead of a plain object's eleven, the small fields packed into
 * two integers and read through getters (a compiled query lives as long as its watch, and 100,000 watches
 * mean some 200,000 terms to keep). It is also its own query-tree leaf (`kind` 'term', `term` itself), so a
 * term costs no separate node object.
 *
 * `a`: mode (3 bits), caseSensitive (1), lookup (1), fieldMask (5), slop (7: at most 100).
 * `b`: index (7: at most 64 terms), column (11: queries of at most 1,000 characters), anchor + 1 (12).
 */
export class CompiledTerm implements Term {
  readonly text: string;
  readonly words: readonly QueryWord[];
  private readonly a: number;
  private readonly b: number;
  /** The look-up forms, made when the term is first verified (most terms never are). */
  private formList: readonly string[] | null = null;

  // Positional: no options object per term.
  constructor(
    index: number,
    text: string,
    mode: TermMode,
    words: readonly QueryWord[],
    caseSensitive: boolean,
    slop: number,
    column: number,
    fieldMask: number,
    lookup: boolean,
    anchor: number,
  ) {
    this.text = text;
    this.words = words;
    this.a =
      MODES.indexOf(mode) | (caseSensitive ? 8 : 0) | (lookup ? 16 : 0) | (fieldMask << 5) | (slop << 10);
    this.b = index | (column << 7) | ((anchor + 1) << 18);
  }

  /** For a `lookup` term: the text words it can match (see lookupForms), computed once. */
  forms(): readonly string[] {
    return (this.formList ??= lookupForms(this));
  }

  get kind(): 'term' {
    return 'term';
  }

  get term(): Term {
    return this;
  }

  get mode(): TermMode {
    return MODES[this.a & 7]!;
  }

  get caseSensitive(): boolean {
    return (this.a & 8) !== 0;
  }

  get lookup(): boolean {
    return (this.a & 16) !== 0;
  }

  get fieldMask(): number {
    return (this.a >>> 5) & 31;
  }

  get slop(): number {
    return this.a >>> 10;
  }

  get fields(): readonly Field[] {
    return FIELDS_OF[this.fieldMask]!;
  }

  get index(): number {
    return this.b & 127;
  }

  get column(): number {
    return (this.b >>> 7) & 2047;
  }

  get anchor(): number {
    return (this.b >>> 18) - 1;
  }
}
