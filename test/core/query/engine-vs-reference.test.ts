import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  compileQuery,
  matchQuery,
  referenceMatch,
  QuerySyntaxError,
  WatchIndex,
} from '../../../src/core/query/index.js';
import type { CompiledQuery, MatchInput } from '../../../src/core/query/index.js';

// A small vocabulary with plurals, cases, accents, possessives, abbreviations and spaceless words,
// so that random queries and texts actually meet.
const WORDS = ['Korea', 'Koreas', 'korean', 'army', 'armies', 'NATO', 'NATO’s', 'US', 'us', 'U.S.', 'oil', 'sanctions',
  'sanction', 'Ukraine', 'Ukrainian', 'Erdoğan', 'erdogan', 'box', 'boxes', 'South', 'North', '한국', '한국을', 'Reuters',
  'arm', 'arms', 'Suk-yeol']; // prettier-ignore
const SEPARATORS = [' ', ', ', ' - ', '. ', ' <b>', '</b> ', ' &amp; ', '\u00ad', ' (', ') '];
const QUERY_WORDS = ['Korea', 'korea', 'army', 'NATO', 'US', '=US', '=us', 'oil', 'sanction', 'sanctions', 'Ukrain*',
  'kor*', 'Erdogan', 'box', '한국', 'arm', 'arms', 'South', '"Suk-yeol"', 'reuters']; // prettier-ignore
const FIELDS = ['title:', 'summary:', 'source:', 'author:', 'category:'];

const text = fc
  .array(fc.tuple(fc.constantFrom(...WORDS), fc.constantFrom(...SEPARATORS)), { maxLength: 14 })
  .map((xs) => xs.map(([w, s]) => w + s).join(''));

const phrase = fc
  .tuple(
    fc.array(fc.constantFrom(...WORDS.filter((w) => !w.includes('.'))), { minLength: 1, maxLength: 3 }),
    fc.option(fc.integer({ min: 0, max: 3 })),
  )
  .map(([ws, slop]) => `"${ws.join(' ')}"${slop === null ? '' : `~${slop}`}`);
const term = fc
  .tuple(
    fc.option(fc.constantFrom(...FIELDS), { freq: 4 }),
    fc.oneof(fc.constantFrom(...QUERY_WORDS), phrase),
  )
  .map(([f, t]) => (f ?? '') + t);

const { query } = fc.letrec((tie) => ({
  query: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    term,
    tie('and'),
    tie('or'),
    tie('not'),
    tie('group'),
  ),
  and: fc.tuple(tie('query'), tie('query')).map(([a, b]) => `${a} ${b}`),
  or: fc.tuple(tie('query'), tie('query')).map(([a, b]) => `${a} OR ${b}`),
  not: tie('query').map((a) => `-(${a})`),
  group: fc.tuple(fc.option(fc.constantFrom(...FIELDS)), tie('query')).map(([f, a]) => `${f ?? ''}(${a})`),
})) as { query: fc.Arbitrary<string> };

const item: fc.Arbitrary<MatchInput> = fc.record({
  title: text,
  summary: text,
  link: fc.constantFrom(null, 'https://www.reuters.com/x', 'https://korea.example.org/a', 'not a url'),
  author: fc.option(text),
  categories: fc.array(text, { maxLength: 3 }),
  feedTitle: fc.constantFrom('Reuters World', 'Korea Herald', ''),
  wire: fc.option(fc.constantFrom('Reuters', 'Yonhap', 'AP')),
});

function compileOrNull(q: string): CompiledQuery | null {
  try {
    return compileQuery(q);
  } catch (e) {
    if (e instanceof QuerySyntaxError) return null;
    throw e;
  }
}

function referenceAnswer(queries: Array<CompiledQuery | null>, it: MatchInput, removed: Set<number>) {
  return queries.flatMap((q, id) => {
    if (!q || removed.has(id)) return [];
    const r = referenceMatch(q, it);
    return r.matched ? [{ id, hits: r.hits }] : [];
  });
}

/** Random watches indexed together, random items: the engine answers exactly what the reference does. */
function expectEngineIsReference(
  queries: fc.Arbitrary<string>,
  items: fc.Arbitrary<MatchInput>,
  maxQueries: number,
): void {
  fc.assert(
    fc.property(
      fc.array(queries, { minLength: 1, maxLength: maxQueries }),
      fc.array(items, { minLength: 1, maxLength: 4 }),
      (qs, its) => {
        const compiled = qs.map(compileOrNull);
        const index = new WatchIndex<number>();
        compiled.forEach((q, id) => q && index.add(id, q));
        for (const it of its) expect(index.match(it)).toEqual(referenceAnswer(compiled, it, new Set()));
      },
    ),
    { numRuns: 400 },
  );
}

describe('indexed engine = reference matcher', () => {
  it('WatchIndex.match returns exactly the reference answer on random queries and items', () => {
    expectEngineIsReference(query, item, 25);
  });

  it('matchQuery agrees with the reference for every query', () => {
    fc.assert(
      fc.property(query, item, (q, it) => {
        const c = compileOrNull(q);
        if (c) expect(matchQuery(c, it)).toEqual(referenceMatch(c, it));
      }),
      { numRuns: 2000 },
    );
  });

  it('stays exact after removing and replacing watches', () => {
    fc.assert(
      fc.property(
        fc.array(query, { minLength: 2, maxLength: 20 }),
        fc.array(fc.nat(19)),
        query,
        item,
        (qs, drop, replacement, it) => {
          const compiled = qs.map(compileOrNull);
          const index = new WatchIndex<number>();
          compiled.forEach((q, id) => q && index.add(id, q));
          const removed = new Set(drop.filter((d) => d < qs.length));
          for (const id of removed) expect(index.remove(id)).toBe(compiled[id] !== null);
          const rep = compileOrNull(replacement);
          if (rep && !removed.has(0)) {
            index.add(0, rep);
            compiled[0] = rep;
          }
          expect(index.size).toBe(compiled.filter((q, id) => q && !removed.has(id)).length);
          // A replaced watch counts as added last, so compare in id order.
          const got = index.match(it).sort((a, b) => a.id - b.id);
          expect(got).toEqual(referenceAnswer(compiled, it, removed));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('stays exact when watches change between items (no stale word → watches memo)', () => {
    fc.assert(
      fc.property(
        fc.array(query, { minLength: 2, maxLength: 15 }),
        fc.array(item, { minLength: 1, maxLength: 3 }),
        fc.array(fc.tuple(fc.constantFrom('remove', 'pause', 'resume', 'replace'), fc.nat(14), query), {
          maxLength: 6,
        }),
        (qs, items, changes) => {
          const compiled = qs.map(compileOrNull);
          const index = new WatchIndex<number>();
          compiled.forEach((q, id) => q && index.add(id, q));
          const inactive = new Set<number>();
          const check = (): void => {
            for (const it of items) {
              const got = index.match(it).sort((a, b) => a.id - b.id);
              expect(got).toEqual(referenceAnswer(compiled, it, inactive));
            }
          };
          check();
          for (const [kind, at, q] of changes) {
            const id = at % qs.length;
            if (compiled[id] === null) continue;
            if (kind === 'remove') {
              index.remove(id);
              compiled[id] = null;
            } else if (kind === 'pause' || kind === 'resume') {
              index.setPaused(id, kind === 'pause');
              if (kind === 'pause') inactive.add(id);
              else inactive.delete(id);
            } else {
              const rep = compileOrNull(q);
              if (rep === null) continue;
              index.add(id, rep);
              compiled[id] = rep;
              inactive.delete(id);
            }
            check();
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('indexed engine on plural look-alikes', () => {
  // Words that are, or look like, simple plurals of one another ("eyes" is "ey" + es and "ey" with y → ies;
  // "boies" is not a plural of "boy"), in plain word, quoted, phrase, AND, OR and NOT queries: the shapes the
  // engine verifies without the query objects.
  const LOOKALIKES = ['ey', 'eye', 'eyes', 'eyees', 'boy', 'boys', 'boies', 'boyes', 'army', 'armies', 'armys',
    'box', 'boxes', 'boxs', 'bus', 'buses', 'busses', 'y', 'ies', 's', 'es', 'Eyes', 'BOX']; // prettier-ignore
  const words = fc
    .array(fc.constantFrom(...LOOKALIKES), { minLength: 1, maxLength: 3 })
    .map((ws) => ws.join(' '));
  const lookalikeTerm = fc
    .tuple(
      fc.option(fc.constantFrom('title:', 'summary:', 'category:'), { freq: 3 }),
      fc.oneof(
        fc.constantFrom(...LOOKALIKES),
        words.map((w) => `"${w}"`),
      ),
    )
    .map(([f, t]) => (f ?? '') + t);
  const { lookalikeQuery } = fc.letrec((tie) => ({
    lookalikeQuery: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      lookalikeTerm,
      tie('and'),
      tie('or'),
      tie('not'),
    ),
    and: fc.tuple(tie('lookalikeQuery'), tie('lookalikeQuery')).map(([a, b]) => `${a} ${b}`),
    or: fc.tuple(tie('lookalikeQuery'), tie('lookalikeQuery')).map(([a, b]) => `(${a} OR ${b})`),
    not: tie('lookalikeQuery').map((a) => `-(${a})`),
  })) as { lookalikeQuery: fc.Arbitrary<string> };
  const lookalikeText = fc
    .array(fc.tuple(fc.constantFrom(...LOOKALIKES), fc.constantFrom(' ', ', ', '. ', ' - ')), {
      maxLength: 12,
    })
    .map((xs) => xs.map(([w, sep]) => w + sep).join(''));
  const lookalikeItem: fc.Arbitrary<MatchInput> = fc.record({
    title: lookalikeText,
    summary: lookalikeText,
    link: fc.constant(null),
    author: fc.constant(null),
    categories: fc.array(lookalikeText, { maxLength: 2 }),
    feedTitle: fc.constant('Wire'),
  });

  it('WatchIndex.match returns exactly the reference answer', () => {
    expectEngineIsReference(lookalikeQuery, lookalikeItem, 20);
  });
});

describe('indexed engine under heavy churn', () => {
  it('stays exact while thousands of watches are added, replaced and removed (flat tables regrow and compact)', () => {
    // Enough general watches (phrases, ANDs, negations) that the per-slot tables and the required-word pool
    // outgrow their first capacity and are compacted after removals, with slots reused by new watches.
    const rand = fc.sample(fc.nat(1_000_000), { numRuns: 6000, seed: 7 });
    let r = 0;
    const next = (n: number): number => rand[r++ % rand.length]! % n;
    const shapes = [
      (a: string, b: string) => `"${a} ${b}"`,
      (a: string, b: string) => `${a} AND ${b}`,
      (a: string, b: string) => `${a} -${b}`,
      (a: string, b: string) => `"${a} ${b}"~2`,
      (a: string) => a,
      (a: string, b: string) => `${a} OR ${b}`,
    ];
    const plain = WORDS.filter((w) => !w.includes('.') && !w.includes('-'));
    const makeQuery = (): CompiledQuery =>
      compileQuery(shapes[next(shapes.length)]!(plain[next(plain.length)]!, plain[next(plain.length)]!));
    const compiled: Array<CompiledQuery | null> = [];
    const index = new WatchIndex<number>();
    for (let id = 0; id < 1500; id++) {
      compiled.push(makeQuery());
      index.add(id, compiled[id]!);
    }
    for (let k = 0; k < 1200; k++) {
      const id = next(compiled.length);
      if (next(3) === 0) {
        index.remove(id);
        compiled[id] = null;
      } else {
        compiled[id] = makeQuery();
        index.add(id, compiled[id]!);
      }
    }
    const items: MatchInput[] = fc.sample(item, { numRuns: 25, seed: 11 });
    for (const it of items) {
      const got = index.match(it).sort((a, b) => a.id - b.id);
      expect(got).toEqual(referenceAnswer(compiled, it, new Set()));
    }
  });
});

describe('WatchIndex', () => {
  const news: MatchInput = {
    title: 'South Korea’s army on alert',
    summary: 'NATO allies watch',
    link: 'https://www.reuters.com/world',
    author: null,
    categories: [],
    feedTitle: 'Reuters World',
  };

  it('adds, replaces, removes and reports size and membership', () => {
    const index = new WatchIndex();
    index.add('a', 'Korea');
    index.add('b', compileQuery('"South Korea" -"North Korea"'));
    index.add('c', 'Japan');
    expect(index.size).toBe(3);
    expect(index.match(news).map((m) => m.id)).toEqual(['a', 'b']);
    index.add('a', 'Japan OR China');
    expect(index.size).toBe(3);
    expect(index.match(news).map((m) => m.id)).toEqual(['b']);
    expect(index.remove('b')).toBe(true);
    expect(index.remove('b')).toBe(false);
    expect(index.has('b')).toBe(false);
    expect(index.has('c')).toBe(true);
    expect(index.match(news)).toEqual([]);
  });

  it('pauses and resumes a watch without losing it', () => {
    const index = new WatchIndex<number>();
    index.add(1, 'Korea');
    index.add(2, 'NATO');
    expect(index.setPaused(1, true)).toBe(true);
    expect(index.isPaused(1)).toBe(true);
    expect(index.has(1)).toBe(true);
    expect(index.size).toBe(2);
    expect(index.match(news).map((m) => m.id)).toEqual([2]);
    index.setPaused(1, true);
    expect(index.setPaused(1, false)).toBe(true);
    expect(index.match(news).map((m) => m.id)).toEqual([1, 2]);
    expect(index.setPaused(3, true)).toBe(false);
    index.setPaused(2, true);
    expect(index.remove(2)).toBe(true);
    index.add(2, 'army');
    expect(index.isPaused(2)).toBe(false);
    expect(index.match(news).map((m) => m.id)).toEqual([1, 2]);
  });

  it('throws QuerySyntaxError for a bad query string and keeps the old watch', () => {
    const index = new WatchIndex<number>();
    index.add(1, 'Korea');
    expect(() => index.add(1, 'Korea AND')).toThrow(QuerySyntaxError);
    expect(index.match(news).map((m) => m.id)).toEqual([1]);
  });

  it('finds watches that can only be checked exhaustively and by prefix or spaceless keys', () => {
    const index = new WatchIndex<number>();
    index.add(1, '-(-army OR -NATO)'); // army AND NATO written with negations: not indexable
    index.add(2, 'Kore*');
    index.add(3, '한국');
    index.add(4, 'source:reuters');
    expect(index.match(news).map((m) => m.id)).toEqual([1, 2, 4]);
    expect(index.match({ ...news, title: '대통령이 한국을 방문' }).map((m) => m.id)).toEqual([3, 4]);
  });

  it('returns hits per watch', () => {
    const index = new WatchIndex<number>();
    index.add(7, 'army NATO');
    expect(index.match(news)).toEqual([
      {
        id: 7,
        hits: [
          { term: 'army', field: 'title', start: 14, end: 18, text: 'army' },
          { term: 'NATO', field: 'summary', start: 0, end: 4, text: 'NATO' },
        ],
      },
    ]);
  });
});
