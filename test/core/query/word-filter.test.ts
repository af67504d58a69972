import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { WordFilter } from '../../../src/core/query/word-filter.js';

const word = fc.string({
  unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789éøйк'.split('')),
  minLength: 1,
  maxLength: 12,
});

describe('WordFilter', () => {
  it('never turns away a word it was given, nor the plurals of a stem', () => {
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 1, maxLength: 50 }),
        fc.array(word, { maxLength: 50 }),
        (stems, exact) => {
          const f = new WordFilter();
          stems.forEach((w) => f.addStem(w));
          exact.forEach((w) => f.addExact(w));
          for (const w of stems) {
            expect(f.mayMatter(w)).toBe(true);
            expect(f.mayMatter(`${w}s`)).toBe(true);
            expect(f.mayMatter(`${w}es`)).toBe(true);
            if (w.endsWith('y')) expect(f.mayMatter(`${w.slice(0, -1)}ies`)).toBe(true);
          }
          for (const w of exact) expect(f.mayMatter(w)).toBe(true);
        },
      ),
    );
  });

  it('never turns away a word starting with a prefix it was given', () => {
    fc.assert(
      fc.property(
        fc.array(
          word.filter((p) => p.length >= 3),
          { minLength: 1, maxLength: 30 },
        ),
        fc.array(fc.tuple(fc.nat(29), fc.string({ maxLength: 6 }))),
        (prefixes, probes) => {
          const f = new WordFilter();
          prefixes.forEach((p) => f.addPrefix(p));
          for (const p of prefixes) expect(f.mayMatter(p)).toBe(true);
          for (const [at, tail] of probes)
            expect(f.mayMatter(prefixes[at % prefixes.length]! + tail)).toBe(true);
        },
      ),
    );
  });

  it('turns away most words it was not given', () => {
    const f = new WordFilter();
    for (let i = 0; i < 20_000; i++) f.addStem(`stem${i}`);
    for (let i = 0; i < 2_000; i++) f.addPrefix(`pre${i}x`);
    let passed = 0;
    for (let i = 0; i < 10_000; i++) if (f.mayMatter(`other${i}`)) passed++;
    expect(passed).toBeLessThan(500);
  });
});
