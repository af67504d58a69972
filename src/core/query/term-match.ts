import type { Token } from '../text/index.js';
import type { QueryWord, Term } from './ast.js';

const CONSONANT = /[b-df-hj-np-tv-z]/;

/** `text` is the simple plural of `word`: +s, +es, or consonant+y → ies ("army" → "armies"). */
export function isPlural(word: string, text: string): boolean {
  if (text.length === word.length + 1) return text.endsWith('s') && text.startsWith(word);
  if (text.length === word.length + 2) {
    if (text.endsWith('es') && text.startsWith(word)) return true;
    return (
      word.endsWith('y') && CONSONANT.test(word.charAt(word.length - 2)) && text === `${word.slice(0, -1)}ies`
    );
  }
  return false;
}

/** The normalised text words a `lookup` term can match: its word, and for `word` its simple plurals. */
export function lookupForms(term: Term): string[] {
  const w = term.words[0]!.word;
  if (term.mode !== 'word') return [w];
  return w.endsWith('y') && CONSONANT.test(w.charAt(w.length - 2))
    ? [w, `${w}s`, `${w}es`, `${w.slice(0, -1)}ies`]
    : [w, `${w}s`, `${w}es`];
}

/** Whether a `lookup` term accepts the normalised text word `w` (one of `lookupForms`, fields aside). */
export function acceptsForm(term: Term, w: string): boolean {
  const base = term.words[0]!.word;
  return w === base || (term.mode === 'word' && isPlural(base, w));
}

/** Whether one text token matches one query word under the term's rules. */
export function wordMatches(term: Term, q: QueryWord, t: Token): boolean {
  if (q.spaceless) return t.spaceless && t.word.includes(q.word);
  if (t.spaceless) return false;
  const tw = term.caseSensitive ? t.exact : t.word;
  const qw = term.caseSensitive ? q.exact : q.word;
  switch (term.mode) {
    case 'word':
      return tw === qw || isPlural(qw, tw);
    case 'prefix':
      return tw.startsWith(qw);
    default:
      return tw === qw;
  }
}

/**
 * Original offsets of a single-word match. A spaceless word is a substring of the token: its own offsets are
 * reported when the token maps one-to-one onto the original text, else the whole token.
 */
export function wordSpans(q: QueryWord, t: Token): Array<[number, number]> {
  if (!q.spaceless || t.end - t.start !== t.word.length) return [[t.start, t.end]];
  const out: Array<[number, number]> = [];
  for (let at = t.word.indexOf(q.word); at >= 0; at = t.word.indexOf(q.word, at + 1)) {
    out.push([t.start + at, t.start + at + q.word.length]);
  }
  return out;
}
