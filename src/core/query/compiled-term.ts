import { DEFAULT_FIELDS, FIELD_BIT, FIELDS, fieldBit } from './ast.js';
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
 * The look-up forms of the terms verified so far (most terms never are): kept beside the terms, not in them,
 * which would cost every term a slot.
 */
const FORMS = new WeakMap<CompiledTerm, readonly string[]>();

/** The packed `a` of a term (see CompiledTerm). */
export function packA(
  mode: TermMode,
  caseSensitive: boolean,
  slop: number,
  fieldMask: number,
  lookup: boolean,
): number {
  return MODES.indexOf(mode) | (caseSensitive ? 8 : 0) | (lookup ? 16 : 0) | (fieldMask << 5) | (slop << 10);
}

/** The packed `b` of a term (see CompiledTerm). */
export function packB(index: number, column: number, anchor: number): number {
  return index | (column << 7) | ((anchor + 1) << 18);
}

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
  /** The packed fields (see above): terms with the same words and packed fields are interchangeable. */
  readonly packedA: number;
  readonly packedB: number;

  /** `a`, `b` from packA and packB: the parser compares them before making a term (it may share one). */
  constructor(text: string, words: readonly QueryWord[], a: number, b: number) {
    this.text = text;
    this.words = words;
    this.packedA = a;
    this.packedB = b;
  }

  /** For a `lookup` term: the text words it can match (see lookupForms), computed once. */
  forms(): readonly string[] {
    let forms = FORMS.get(this);
    if (forms === undefined) FORMS.set(this, (forms = lookupForms(this)));
    return forms;
  }

  get kind(): 'term' {
    return 'term';
  }

  get term(): Term {
    return this;
  }

  get mode(): TermMode {
    return MODES[this.packedA & 7]!;
  }

  get caseSensitive(): boolean {
    return (this.packedA & 8) !== 0;
  }

  get lookup(): boolean {
    return (this.packedA & 16) !== 0;
  }

  get fieldMask(): number {
    return (this.packedA >>> 5) & 31;
  }

  get slop(): number {
    return this.packedA >>> 10;
  }

  get fields(): readonly Field[] {
    return FIELDS_OF[this.fieldMask]!;
  }

  get index(): number {
    return this.packedB & 127;
  }

  get column(): number {
    return (this.packedB >>> 7) & 2047;
  }

  get anchor(): number {
    return (this.packedB >>> 18) - 1;
  }
}

/** The FIELD_BIT set of a field list (CompiledTerm.fieldMask). */
export function fieldMaskOf(fields: readonly Field[]): number {
  let mask = 0;
  for (let i = 0; i < fields.length; i++) mask |= fieldBit(fields[i]!);
  return mask;
}

/** Phrase or near: the longest word not of a spaceless script anchors the check (-1 when there is none). */
export function anchorOf(words: readonly QueryWord[]): number {
  let anchor = -1;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (!w.spaceless && (anchor < 0 || w.word.length > words[anchor]!.word.length)) anchor = i;
  }
  return anchor;
}
