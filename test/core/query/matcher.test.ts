import { describe, it, expect } from 'vitest';
import { compileQuery, matchQuery, referenceMatch, WatchIndex } from '../../../src/core/query/index.js';
import type { MatchInput } from '../../../src/core/query/index.js';

function item(title: string, summary = '', extra: Partial<MatchInput> = {}): MatchInput {
  return { title, summary, link: null, author: null, categories: [], feedTitle: 'World News', ...extra };
}

/** Runs both the engine's verifier and the reference matcher, and checks they agree. */
function matches(query: string, it: MatchInput): boolean {
  const q = compileQuery(query);
  const engine = matchQuery(q, it);
  expect(engine).toEqual(referenceMatch(q, it));
  return engine.matched;
}

describe('examples from the issue', () => {
  const cases: Array<[string, string, boolean]> = [
    ['NATO’s chief urges South Korea…', 'NATO', true],
    ['Senator Smith spoke', 'NATO', false],
    ['South Korean troops', '"South Korea"', false],
    ['Ukrainian ammunition depot', 'Ukraine AND (ammunition OR weapons)', false],
    ['Ukrainian ammunition depot', 'Ukrain* AND (ammunition OR weapons)', true],
    ['Erdoğan meets Zelensky', 'Erdogan', true],
    ['Talk to us', '=US', false],
    ['Sanctions on Russian oil imports', '"sanctions oil"~3', true],
  ];
  it.each(cases)('%s / %s', (title, query, expected) => {
    expect(matches(query, item(title))).toBe(expected);
  });

  it('plural rules: Korea matches Koreas not Korean; weapon → weapons; arms does not match arm', () => {
    expect(matches('Korea', item('The two Koreas meet'))).toBe(true);
    expect(matches('Korea', item('Korean troops'))).toBe(false);
    expect(matches('weapon', item('More weapons for Kyiv'))).toBe(true);
    expect(matches('arms', item('He broke an arm'))).toBe(false);
    expect(matches('army', item('Armies gather at the border'))).toBe(true);
    expect(matches('day', item('Daies'))).toBe(false);
    expect(matches('box', item('Ballot boxes seized'))).toBe(true);
  });

  it('quoted word is exact: no plural', () => {
    expect(matches('"weapon"', item('More weapons'))).toBe(false);
    expect(matches('"weapon"', item('A weapon'))).toBe(true);
  });

  it('=WORD is exact case, also for dotted abbreviations', () => {
    expect(matches('=US', item('U.S. troops leave'))).toBe(true);
    expect(matches('=US', item('US troops leave'))).toBe(true);
    expect(matches('=US', item('USA wins'))).toBe(false);
    expect(matches('US', item('Talk to us'))).toBe(true);
  });

  it('prefix matches any word starting with it', () => {
    expect(matches('Ukrain*', item('Ukraine, Ukrainians and Ukraine’s allies'))).toBe(true);
    expect(matches('Ukrain*', item('Kraine'))).toBe(false);
  });

  it('phrases are adjacent, in order, ignore punctuation, never cross fields', () => {
    expect(matches('"South Korea"', item('South-Korea talks'))).toBe(true);
    expect(matches('"South Korea"', item('Korea South'))).toBe(false);
    expect(matches('"South Korea"', item('Trip to the South', 'Korea reacts'))).toBe(false);
    expect(matches('"Kim Jong Un"', item('Kim Jong-un visits Russia'))).toBe(true);
    expect(matches('"South Koreas"', item('South Korea'))).toBe(false);
  });

  it('proximity: any order, at most N words between', () => {
    expect(matches('"oil sanctions"~3', item('Sanctions on Russian oil imports'))).toBe(true);
    expect(matches('"sanctions oil"~1', item('Sanctions on Russian oil imports'))).toBe(false);
    expect(matches('"sanctions oil"~2', item('Sanctions on Russian oil imports'))).toBe(true);
    expect(matches('"oil oil"~0', item('oil prices'))).toBe(false);
    expect(matches('"oil oil"~0', item('oil oil prices'))).toBe(true);
  });

  it('a negation excludes a story that mentions the negated term anywhere', () => {
    expect(matches('"South Korea" -"North Korea"', item('South Korea and North Korea hold talks'))).toBe(
      false,
    );
    expect(matches('"South Korea" -"North Korea"', item('South Korea elects president'))).toBe(true);
    expect(
      matches('"South Korea" NOT "North Korea"', item('South Korea votes', 'North Korea fires missile')),
    ).toBe(false);
    expect(matches('Korea -title:(missile OR drill)', item('Korea news', 'a missile'))).toBe(true);
  });

  it('precedence: NOT > AND > OR; operators are upper case only', () => {
    expect(matches('Korea OR Japan China', item('Japan'))).toBe(false);
    expect(matches('Korea OR Japan China', item('Korea'))).toBe(true);
    expect(matches('(Korea OR Japan) China', item('Korea'))).toBe(false);
    expect(matches('war and peace', item('war and peace'))).toBe(true);
    expect(matches('war and peace', item('war or peace'))).toBe(false);
    expect(matches('NOT NOT Korea', item('Korea'))).toBe(true);
  });
});

describe('fields', () => {
  const it1 = item('Missile launch reported', 'Seoul says the launch failed', {
    link: 'https://www.reuters.com/world/asia/story',
    author: 'Hyonhee Shin',
    categories: ['Asia Pacific', 'Defense'],
    feedTitle: 'Reuters World',
    wire: 'Yonhap',
  });

  it('title:, summary:, author:, category: and source: restrict the search', () => {
    expect(matches('title:Seoul', it1)).toBe(false);
    expect(matches('summary:Seoul', it1)).toBe(true);
    expect(matches('author:shin', it1)).toBe(true);
    expect(matches('category:defense', it1)).toBe(true);
    expect(matches('category:"Pacific Defense"', it1)).toBe(false);
    expect(matches('title:(launch OR Seoul) source:reuters', it1)).toBe(true);
  });

  it('source: covers feed title, link host and wire, and reports where', () => {
    const host = matchQuery(compileQuery('source:reuters missile'), it1);
    expect(host.hits.filter((h) => h.field === 'source')).toEqual([
      { term: 'reuters', field: 'source', start: 0, end: 7, text: 'Reuters' },
      { term: 'reuters', field: 'source', start: 4, end: 11, text: 'reuters', part: 'host' },
    ]);
    const wire = matchQuery(compileQuery('source:yonhap'), it1);
    expect(wire.hits).toEqual([
      { term: 'yonhap', field: 'source', start: 0, end: 6, text: 'Yonhap', part: 'wire' },
    ]);
    const cat = matchQuery(compileQuery('category:defense'), it1);
    expect(cat.hits).toEqual([
      { term: 'defense', field: 'category', start: 0, end: 7, text: 'Defense', index: 1 },
    ]);
  });

  it('a term without field searches title and summary only', () => {
    expect(matches('Reuters', it1)).toBe(false);
    expect(matches('Shin', it1)).toBe(false);
  });
});

describe('hits', () => {
  it('report term, field, offsets into the original text and the matched text', () => {
    const it1 = item('NATO&#8217;s chief urges <b>South Korea</b>', 'U.S. troops in South Korea');
    const r = matchQuery(compileQuery('"South Korea" AND =US'), it1);
    expect(r.matched).toBe(true);
    expect(r.hits).toEqual([
      { term: 'South Korea', field: 'title', start: 28, end: 39, text: 'South Korea' },
      { term: '=US', field: 'summary', start: 0, end: 3, text: 'U.S' },
      { term: 'South Korea', field: 'summary', start: 15, end: 26, text: 'South Korea' },
    ]);
  });

  it('are not reported for negated terms, and are empty when there is no match', () => {
    expect(matchQuery(compileQuery('Korea -Japan'), item('Korea news')).hits.map((h) => h.term)).toEqual([
      'Korea',
    ]);
    expect(matchQuery(compileQuery('Korea -Japan'), item('Korea Japan'))).toEqual({
      matched: false,
      hits: [],
    });
  });

  it('point at the substring for spaceless scripts', () => {
    const r = matchQuery(compileQuery('한국'), item('대통령이 한국을 방문'));
    expect(r.hits).toEqual([{ term: '한국', field: 'title', start: 5, end: 7, text: '한국' }]);
  });
});

describe('real news text', () => {
  const cases: Array<[string, string, string, boolean]> = [
    ['Biden, Yoon Suk-yeol meet at Camp David', '', '"Suk-yeol"', true],
    ['Biden, Yoon Suk-yeol meet at Camp David', '', 'Yoon AND Biden', true],
    ['NATO-led force to stay in Kosovo', '', 'NATO', true],
    ['Senators push NATO expansion', '', 'senator', true],
    ['Zelenskyy’s aide says talks stalled', '', 'Zelenskyy', true],
    ['Zelensky&apos;s aide says talks stalled', '', 'Zelensky', true],
    ['Fed holds rates; markets rally', '', '"holds rates"', true],
    ['Iran’s president visits Beijing', 'Tehran and Beijing sign deals', 'Iran Beijing -Moscow', true],
    ['Café owners in Montréal protest', '', 'cafe AND montreal', true],
    ['Nach dem Gipfel: Scholz trifft Macron in Straßburg', '', 'Strassburg', true],
    ['Kyiv says drones hit Moscow oil refinery', '', 'drone refiner*', true],
    ['Elon Musk&#x27;s X sued', '', '"Musk X"', true],
    ['A U.N. report on Gaza', '', '=UN Gaza', true],
    ['United Nations report', '', '=UN', false],
    ['Apple unveils new iPhone', '', '=Apple', true],
    ['apple harvest falls', '', '=Apple', false],
    ['Storm hits Philippines, 12 dead', '', 'Philippine', true],
    ['Storm hits Philippines, 12 dead', '', 'Philip', false],
    ['Storm hits Philippines, 12 dead', '', 'Philip*', true],
    ['Taiwan’s TSMC to build plant in Japan', '', 'TSMC OR Samsung', true],
    ['日本の首相が訪米', '', '首相', true],
    ['ประเทศไทย เลือกตั้ง', '', 'เลือกตั้ง', true],
  ];
  it.each(cases)('%s / %s / %s', (title, summary, query, expected) => {
    expect(matches(query, item(title, summary))).toBe(expected);
  });
});

describe('required-word pre-check of the index', () => {
  // Watches needing more words than the pre-check keeps (4): the words past the limit are left to the
  // verifier, so an item lacking only one of them must still be turned away, and one having all must match.
  const queries = [
    '"alpha beta gamma delta epsilon zeta" omega',
    'alpha beta gamma delta epsilon -zeta',
    '"=NATO" alpha "beta gamma" delta epsilon',
    'alpha "beta gamma"~2 delta epsilon zeta',
  ];
  const items = [
    item('alpha beta gamma delta epsilon zeta omega'),
    item('alpha beta gamma delta epsilon zeta', 'no last word'),
    item('NATO alpha beta gamma delta', 'epsilon'),
    item('nato alpha beta gamma delta epsilon'),
    item('alpha gamma x beta delta', 'epsilon zeta'),
    item('alpha beta gamma delta', 'epsilons'),
  ];
  it('gives the reference answer for each item', () => {
    const index = new WatchIndex<number>();
    queries.forEach((q, i) => index.add(i, q));
    for (const it of items) {
      const expected = queries.flatMap((q, id) => {
        const r = referenceMatch(compileQuery(q), it);
        return r.matched ? [{ id, hits: r.hits }] : [];
      });
      expect(index.match(it)).toEqual(expected);
    }
    expect(items.some((it) => index.match(it).length > 0)).toBe(true);
  });
});
