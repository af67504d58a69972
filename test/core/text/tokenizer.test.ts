import fc from 'fast-check';
import { describe, it, expect } from 'vitest';
import { tokenize, words } from '../../../src/core/text/index.js';

// Pieces of news markup that change how text decodes: tags (block, inline, raw, broken), entities (also double
// encoded), abbreviations, possessives, invisible and folded characters, spaceless scripts.
const PIECES = [
  'NATO', 'U.S.', "Korea's", 'Seoul’s', ' ', ' ', '\n', '-', '.', '<p>', '</p>', '<b>', '</b>', '<br/>',
  '<a href="x">', '</a>', '<script>x</script>', '<!-- c -->', '&amp;', '&#8217;', '&amp;#8217;', '&nbsp;',
  '&bogus;', '<', '>', '&', 'Erdoğan', 'Straße', 'soft\u00adhyphen', 'zero\u200bwidth', '한국을', '東京', 'x1', "'",
]; // prettier-ignore

describe('tokenize: normalisation', () => {
  it('decodes entities and strips tags, keeping offsets into the original', () => {
    const src = '<p>NATO&#8217;s <b>chief</b> &amp;#8217;</p>';
    const toks = tokenize(src);
    expect(toks.map((t) => t.word)).toEqual(['nato', 'chief']);
    expect(toks.map((t) => src.slice(t.start, t.end))).toEqual(['NATO', 'chief']);
  });

  it('does not search attribute values', () => {
    expect(words('<a href="https://korea.example/nato">Read</a>')).toEqual(['read']);
  });

  it('drops soft hyphens and zero-width characters without splitting words', () => {
    expect(words('Zelen\u00adsky met Er\u200bdogan')).toEqual(['zelensky', 'met', 'erdogan']);
  });

  it('folds accents and letters NFKD leaves alone', () => {
    expect(words('Erdoğan Łódź Øresund Straße Ærø Œuvre đak ıstanbul Þór')).toEqual([
      'erdogan', 'lodz', 'oresund', 'strasse', 'aero', 'oeuvre', 'dak', 'istanbul', 'thor',
    ]); // prettier-ignore
  });

  it('folds compatibility forms (full-width letters, ligatures)', () => {
    expect(words('ＮＡＴＯ ﬁnance')).toEqual(['nato', 'finance']);
  });

  it('keeps the original case in `exact`', () => {
    const [t] = tokenize('Erdoğan');
    expect(t).toMatchObject({ word: 'erdogan', exact: 'Erdogan', start: 0, end: 7 });
  });

  it("drops possessive 's and trailing apostrophes, with straight, curly or modifier apostrophes", () => {
    expect(words("NATO's NATO’s NATOʼs allies' Koreas’ plan")).toEqual([
      'nato',
      'nato',
      'nato',
      'allies',
      'koreas',
      'plan',
    ]);
  });

  it('treats other apostrophes as word separators', () => {
    expect(words("O'Brien don't")).toEqual(['o', 'brien', 'don', 't']);
  });

  it('joins dotted single-letter abbreviations', () => {
    const src = 'U.S. and U.N. officials, J.R.R. Tolkien, U.S.-led';
    const toks = tokenize(src);
    expect(toks.map((t) => t.exact)).toEqual(['US', 'and', 'UN', 'officials', 'JRR', 'Tolkien', 'US', 'led']);
    expect(src.slice(toks[0]!.start, toks[0]!.end)).toBe('U.S');
  });

  it('does not join initials followed by a space or multi-letter words', () => {
    expect(words('A. Smith met Dr. No')).toEqual(['a', 'smith', 'met', 'dr', 'no']);
    expect(words('version 1.5.2')).toEqual(['version', '1', '5', '2']);
  });

  it('splits on hyphens, slashes and other punctuation', () => {
    expect(words('Yoon Suk-yeol; NATO-led Israel/Gaza (AP) — 24/7')).toEqual([
      'yoon', 'suk', 'yeol', 'nato', 'led', 'israel', 'gaza', 'ap', '24', '7',
    ]); // prettier-ignore
  });

  it('makes runs of spaceless scripts their own tokens', () => {
    const toks = tokenize('G20峰会 한국을 方文 タイ語 ภาษาไทย');
    expect(toks.map((t) => [t.word, t.spaceless])).toEqual([
      ['g20', false],
      ['峰会', true],
      ['한국을', true],
      ['方文', true],
      ['タイ語', true],
      ['ภาษาไทย', true],
    ]);
  });

  it('keeps Hangul syllables and kana voicing whole (no decomposition)', () => {
    expect(words('한국 がぎ')).toEqual(['한국', 'がぎ']);
  });

  it('handles empty and punctuation-only text', () => {
    expect(tokenize('')).toEqual([]);
    expect(tokenize(' … — !! ')).toEqual([]);
  });

  it('reports offsets for astral characters', () => {
    const src = '𠀀𠀁 x';
    const toks = tokenize(src);
    expect(toks.map((t) => src.slice(t.start, t.end))).toEqual(['𠀀𠀁', 'x']);
  });
});

describe('words', () => {
  it('gives exactly the words of tokenize, for any mix of markup (without building its offset map)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        expect(words(text)).toEqual(tokenize(text).map((t) => t.word));
        expect(words(text, 3)).toEqual(
          tokenize(text)
            .slice(0, 3)
            .map((t) => t.word),
        );
      }),
      { numRuns: 2000 },
    );
  });
});
