import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { compileQuery, QuerySyntaxError } from '../../../src/core/query/index.js';
import { tokenize } from '../../../src/core/text/index.js';

function syntaxError(query: string): QuerySyntaxError {
  try {
    compileQuery(query);
  } catch (e) {
    if (e instanceof QuerySyntaxError) return e;
    throw e;
  }
  throw new Error(`no error for ${query}`);
}

describe('compileQuery', () => {
  it('normalises term words exactly as the tokenizer normalises text', () => {
    // Plain ASCII words take a short cut past the tokenizer: both paths must agree.
    const plain = fc.string({ unit: fc.constantFrom(...'aZk09 '.split('')), minLength: 1, maxLength: 16 });
    const unit = fc.constantFrom(..."aZ09 .'’-&;#<>éÉøß한국Ⅻﬁ\u00ad".split(''));
    const bodies = fc.oneof(plain, fc.string({ unit, minLength: 1, maxLength: 16 }));
    fc.assert(
      fc.property(bodies, fc.boolean(), (body, quoted) => {
        const expected = tokenize(body).map((t) => ({
          word: t.word,
          exact: t.exact,
          spaceless: t.spaceless,
        }));
        const query = quoted ? `"${body}"` : body;
        if (!quoted && (expected.length !== 1 || /[\s()"*=-]/.test(body) || body.includes(':'))) return;
        let q;
        try {
          q = compileQuery(query);
        } catch (e) {
          expect(e).toBeInstanceOf(QuerySyntaxError);
          expect(expected).toEqual([]);
          return;
        }
        expect(
          q.terms[0]!.words.map((w) => ({ word: w.word, exact: w.exact, spaceless: w.spaceless })),
        ).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('builds terms with modes, fields and the text as written', () => {
    const q = compileQuery('title:(NATO OR "South Korea") =US Ukrain* "oil sanctions"~3 -Japan');
    expect(q.source).toBe('title:(NATO OR "South Korea") =US Ukrain* "oil sanctions"~3 -Japan');
    expect(q.terms.map((t) => [t.text, t.mode, t.fields.join('+'), t.caseSensitive])).toEqual([
      ['NATO', 'word', 'title', false],
      ['South Korea', 'phrase', 'title', false],
      ['=US', 'exact', 'title+summary', true],
      ['Ukrain*', 'prefix', 'title+summary', false],
      ['oil sanctions', 'near', 'title+summary', false],
      ['Japan', 'word', 'title+summary', false],
    ]);
    expect(q.positiveTerms).toEqual([0, 1, 2, 3, 4]);
    expect(q.terms[4]!.slop).toBe(3);
  });

  it('keeps every term field at its limits (64 terms, column near 1,000, slop 100, long phrases)', () => {
    // Terms pack their small fields into integers: the extremes must come back unchanged.
    const phrase = Array.from({ length: 40 }, (_, i) => `p${i}`).join(' ');
    const head = Array.from({ length: 61 }, (_, i) => `w${i}`).join(' ');
    const pad = 'x'.repeat(1000 - head.length - phrase.length - 40);
    const query = `${head} source:${pad}* "${phrase} longestword"~100 =Zz`;
    expect(query.length).toBeLessThanOrEqual(1000);
    const q = compileQuery(query);
    expect(q.terms).toHaveLength(64);
    const [prefix, near, exact] = q.terms.slice(61);
    expect([prefix!.index, prefix!.mode, prefix!.fields, prefix!.fieldMask]).toEqual([
      61,
      'prefix',
      ['source'],
      4,
    ]);
    expect(prefix!.column).toBe(query.indexOf('source:') + 'source:'.length + 1);
    expect([near!.index, near!.mode, near!.slop, near!.anchor, near!.words.length]).toEqual([
      62,
      'near',
      100,
      40,
      41,
    ]);
    expect(near!.column).toBe(query.indexOf('"') + 1);
    expect(near!.caseSensitive).toBe(false);
    expect([exact!.index, exact!.mode, exact!.caseSensitive, exact!.lookup, exact!.anchor]).toEqual([
      63,
      'exact',
      true,
      true,
      0,
    ]);
    expect(exact!.column).toBe(query.length - 2);
    expect(exact!.fields).toEqual(['title', 'summary']);
    expect(q.terms[0]!.lookup).toBe(true);
    expect(prefix!.lookup).toBe(false);
  });

  it('treats lower-case and/or/not as words and hyphenated words as phrases', () => {
    const q = compileQuery('war and peace NATO-led');
    expect(q.terms.map((t) => [t.text, t.mode])).toEqual([
      ['war', 'word'],
      ['and', 'word'],
      ['peace', 'word'],
      ['NATO-led', 'phrase'],
    ]);
  });

  it('gives each query its own terms, whatever was compiled before (terms are shared between queries)', () => {
    // A query's first term is shared with earlier queries of the same word and packed fields, and plain words
    // take a path of their own through the lexer: compiling in another order must read back the same terms.
    const queries = [
      'Korea',
      'korea',
      'KOREA',
      'Korea AND Japan',
      'Japan Korea',
      'title:Korea',
      'Korea*',
      'Korean*',
      '"Korea"',
      '"Korea"~2',
      '=Korea',
      'Korea -Japan',
      'Korea OR "South Korea"',
      '(Korea)',
    ];
    const described = (query: string): unknown => {
      const q = compileQuery(query);
      return {
        root: q.root.kind,
        positive: q.positiveTerms,
        terms: q.terms.map((t) => [
          ...[t.index, t.text, t.mode, t.fieldMask, t.caseSensitive, t.column, t.slop, t.anchor, t.lookup],
          t.words.map((w) => [w.word, w.exact, w.spaceless]),
        ]),
      };
    };
    const forwards = queries.map(described);
    const backwards = [...queries].reverse().map(described).reverse();
    expect(backwards).toEqual(forwards);
    expect(forwards[0]).toEqual({
      root: 'term',
      positive: [0],
      terms: [[0, 'Korea', 'word', 3, false, 1, 0, 0, true, [['korea', 'Korea', false]]]],
    });
    expect(forwards[6]).toEqual({
      root: 'term',
      positive: [0],
      terms: [[0, 'Korea*', 'prefix', 3, false, 1, 0, 0, false, [['korea', 'Korea', false]]]],
    });
    // The same word and fields at another column: a term of its own.
    expect(forwards[13]).toEqual({
      root: 'term',
      positive: [0],
      terms: [[0, 'Korea', 'word', 3, false, 2, 0, 0, true, [['korea', 'Korea', false]]]],
    });
    expect(compileQuery('Korea -Japan').positiveTerms).toEqual([0]);
    expect(compileQuery('-Japan Korea').positiveTerms).toEqual([1]);
  });

  it('ANDs neighbours and gives NOT > AND > OR', () => {
    const q = compileQuery('a OR b c -d');
    expect(q.root.kind).toBe('or');
    if (q.root.kind !== 'or') return;
    expect(q.root.children.map((c) => c.kind)).toEqual(['term', 'and']);
  });
});

describe('syntax errors', () => {
  const cases: Array<[string, string, number]> = [
    ['', 'empty query', 1],
    ['   ', 'empty query', 1],
    ['(Korea OR Japan', 'unbalanced parenthesis', 1],
    ['Korea OR Japan)', 'unbalanced parenthesis', 15],
    ['"South Korea', 'unbalanced quote', 1],
    ['Korea AND', 'missing operand after AND', 7],
    ['OR Korea', 'missing operand before OR', 1],
    ['Korea OR OR Japan', 'missing operand after OR', 7],
    ['Korea NOT', 'missing operand after NOT', 7],
    ['Korea -', "'-' must be followed directly by a word, phrase or group", 7],
    ['""', 'empty phrase', 1],
    ['Korea ()', 'empty group', 7],
    ['Uk*', 'prefix too short (3 characters needed before *)', 1],
    ['Uk*raine', "'*' is only allowed at the end of a word", 3],
    ['foo:bar', "unknown field 'foo'", 1],
    ['title: Korea', "missing operand after 'title:'", 1],
    ['NOT Korea', 'query needs a term that must be present (NOT alone matches everything)', 1],
    ['-Korea OR -Japan', 'query needs a term that must be present (NOT alone matches everything)', 1],
    ['Korea OR -Japan', 'query needs a term that must be present (NOT alone matches everything)', 1],
    ['"a b"~', "'~' must be followed by a number", 6],
    ['!!!', 'term has no letters or digits', 1],
  ];
  it.each(cases)('%j → %s at column %d', (query, problem, column) => {
    const e = syntaxError(query);
    expect(e.message).toBe(`${problem} at column ${column}`);
    expect(e.column).toBe(column);
    expect(e.name).toBe('QuerySyntaxError');
    expect(e.code).toBe('query-syntax');
    expect(e.query).toBe(query);
  });

  it('the brief’s example message: unbalanced parenthesis at column 14', () => {
    expect(syntaxError('Korea AND (NATO OR Japan').message).toBe('unbalanced parenthesis at column 11');
    expect(syntaxError('(NATO OR US) )').message).toBe('unbalanced parenthesis at column 14');
  });

  it('caret() shows the query and a caret under the column', () => {
    expect(syntaxError('Korea AND').caret()).toBe('Korea AND\n      ^');
  });

  it('limits length and number of terms', () => {
    expect(syntaxError('a'.repeat(1001)).message).toBe('query longer than 1000 characters at column 1001');
    expect(() => compileQuery('a'.repeat(1000))).not.toThrow();
    const many = Array.from({ length: 65 }, (_, i) => `w${i}`).join(' ');
    expect(syntaxError(many).message).toBe(`more than 64 terms at column ${many.indexOf('w64') + 1}`);
    expect(() => compileQuery(Array.from({ length: 64 }, (_, i) => `w${i}`).join(' '))).not.toThrow();
  });
});

describe('parser fuzz', () => {
  const alphabet = [
    'a',
    'Korea',
    ' ',
    '(',
    ')',
    '"',
    '-',
    '*',
    '~',
    '3',
    '=',
    ':',
    'title:',
    'foo:',
    'AND',
    'OR',
    'NOT',
    '’',
    '한',
    '\u00ad',
    '\t',
    '\\',
  ];
  const onlyTypedErrors = (q: string): void => {
    const t0 = Date.now();
    try {
      compileQuery(q);
    } catch (e) {
      expect(e).toBeInstanceOf(QuerySyntaxError);
      const err = e as QuerySyntaxError;
      expect(err.column).toBeGreaterThanOrEqual(1);
      expect(err.column).toBeLessThanOrEqual(q.length + 1);
      expect(err.caret().split('\n')).toHaveLength(2);
    }
    expect(Date.now() - t0).toBeLessThan(500);
  };

  it('throws only QuerySyntaxError on random strings, never hangs', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), onlyTypedErrors), { numRuns: 3000 });
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 100 }), onlyTypedErrors), {
      numRuns: 1000,
    });
  });

  it('throws only QuerySyntaxError on random query-like token soup', () => {
    const soup = fc.array(fc.constantFrom(...alphabet), { maxLength: 60 }).map((xs) => xs.join(''));
    fc.assert(fc.property(soup, onlyTypedErrors), { numRuns: 5000 });
  });

  it('handles deep nesting and long inputs quickly', () => {
    onlyTypedErrors('('.repeat(500) + 'a' + ')'.repeat(499));
    onlyTypedErrors('('.repeat(499) + 'a' + ')'.repeat(499));
    onlyTypedErrors('NOT '.repeat(240) + 'a');
    onlyTypedErrors('-'.repeat(999) + 'a');
    onlyTypedErrors('"'.repeat(1000));
  });
});
