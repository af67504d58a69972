/**
 * The poll benchmark's workload and feed server. The server runs in a child process (`--bench-server`), so its
 * CPU is not counted; the parent sends 'advance' to move every changing feed on one generation.
 *
 * Feeds: 70% answer 304 to their ETag (200 with their body otherwise), 25% small (20 items) and 5% ~1 MB (400
 * items) that change every generation, like live news feeds: 2 new items at the top, the 2 oldest dropped, the rest
 * byte-identical. Among them a few slow (1.5 s) and broken (500, HTML) feeds. Item text is seeded per feed and item,
 * from a synthetic vocabulary with some topical words; one item in eight is a wire story shared by several feeds.
 * The watches are a few hundred keyword queries of every shape over the same vocabulary.
 */
import { startFeedServer, feed, handler } from '../test/support/feed-server.js';
import type { FeedServer } from '../test/support/feed-server.js';
import { rng } from './seeded-random.js';

export type Kind = 'not-modified' | 'small' | 'large' | 'slow' | 'http-500' | 'html';
export interface BenchFeed {
  index: number;
  kind: Kind;
  path: string;
}
export const HOSTS = 100;
export const hostOf = (f: BenchFeed): string => `h${f.index % HOSTS}.bench.test`;
export const healthy = (f: BenchFeed): boolean => f.kind !== 'http-500' && f.kind !== 'html';
/** The ETag of an unchanging feed (changing feeds send one per generation). */
export const fixedEtag = (f: BenchFeed): string | null =>
  f.kind === 'not-modified' ? `"e${f.index}"` : null;
/** Clock of poll cycle `generation` (items are dated against it): two hours apart, so every feed is due. */
export const CYCLE_MS = 2 * 3600_000;
export const T0 = Date.UTC(2025, 2, 4, 12);

export function workload(n: number): BenchFeed[] {
  return Array.from({ length: n }, (_, index) => {
    const r = index % 100;
    let kind: Kind = r < 70 ? 'not-modified' : r < 95 ? 'small' : 'large';
    // 253, coprime with HOSTS: the slow feeds sit on 8 different hosts, not 2 (the per-host limit would queue
    // those hosts' other feeds behind them).
    if (index % 253 === 71) kind = 'slow';
    if (index % 500 === 72) kind = 'http-500';
    if (index % 500 === 73) kind = 'html';
    return { index, kind, path: `/f/${index}.xml` };
  });
}

const FUNCTION_WORDS =
  'the of to and a in is for on that with as by at from said it was has be are his have an will its not who but after'.split(
    ' ',
  );
const TOPICAL =
  'NATO Ukraine Seoul sanctions ceasefire election inflation tariffs earthquake parliament refugees missile summit strike budget court protest oil drought vaccine'.split(
    ' ',
  );
/** Content words: consonant-vowel(-coda) syllables, 20,000 of them. */
const VOCAB: string[] = (() => {
  const r = rng(20250304);
  const syllables = 'b c d f g h k l m n p r s t v z'
    .split(' ')
    .flatMap((c) => 'a e i o u'.split(' ').flatMap((v) => ['', 'n', 'r', 's'].map((coda) => c + v + coda)));
  const seen = new Set<string>();
  while (seen.size < 20_000) {
    let w = '';
    for (let i = 2 + Math.floor(r() * 2); i > 0; i--) w += syllables[Math.floor(r() * syllables.length)];
    seen.add(w);
  }
  return [...seen];
})();
/** Skewed towards the first words of VOCAB, as word frequencies are. */
const contentWord = (r: () => number): string => VOCAB[Math.floor(r() ** 2 * VOCAB.length)] ?? 'x';

function text(r: () => number, n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const x = r();
    out.push(
      x < 0.35
        ? (FUNCTION_WORDS[Math.floor(r() * 27)] ?? 'the')
        : x < 0.37
          ? (TOPICAL[Math.floor(r() * 20)] ?? '')
          : contentWord(r),
    );
  }
  const s = out.join(' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Keyword watches of every shape; words drawn uniformly from the vocabulary, so most are rare, a few common. */
export function watchQueries(n: number): string[] {
  const r = rng(42);
  const w = (): string => VOCAB[Math.floor(r() * VOCAB.length)] ?? 'x';
  const stem = (): string => {
    let s = w();
    while (s.length < 6) s = w();
    return `${s.slice(0, -2)}*`;
  };
  return Array.from({ length: n }, () => {
    const x = r();
    if (x < 0.4) return w();
    if (x < 0.5) return `"${w()} ${w()}"`;
    if (x < 0.65) return `${w()} AND ${w()}`;
    if (x < 0.75) return `${w()} OR ${w()} OR ${w()}`;
    if (x < 0.85) return `${w()} -${w()}`;
    if (x < 0.9) return stem();
    if (x < 0.95) return `title:(${w()} OR ${w()})`;
    if (x < 0.98) return `source:reuters ${w()}`;
    return TOPICAL[Math.floor(r() * TOPICAL.length)] ?? 'NATO';
  });
}

const LARGE = { items: 400, descBytes: 2400 };
const SMALL = { items: 20, descBytes: 0 };
const shape = (f: BenchFeed): typeof LARGE => (f.kind === 'large' ? LARGE : SMALL);

/** Item `i` of feed `f`: the same bytes in every generation that holds it. Dated half a cycle apart. */
function itemXml(f: BenchFeed, i: number, filler: string): string {
  const { items, descBytes } = shape(f);
  const wire = i % 8 === 0;
  const r = rng(wire ? i * 7919 + (f.index % 40) : f.index * 1_000_003 + i);
  const title = text(r, 8 + Math.floor(r() * 6));
  let desc = `${wire ? 'LONDON (Reuters) - ' : ''}${text(r, 50 + Math.floor(r() * 20))} &amp; more.`;
  if (descBytes > desc.length) desc += ` ${filler.slice(0, descBytes - desc.length)}`;
  const date = new Date(T0 + (i - items) * (CYCLE_MS / 2)).toUTCString();
  return (
    `<item><title>${title} &#8220;${contentWord(r)}&#8221;</title><link>https://news.example/${f.index}/${i}</link>` +
    `<guid isPermaLink="false">${f.index}-${i}</guid><pubDate>${date}</pubDate>` +
    `<description>&lt;p&gt;${desc}&lt;/p&gt;</description><category>World</category></item>`
  );
}

class FeedDocument {
  private readonly cache = new Map<number, string>();
  private readonly filler: string;
  constructor(private readonly f: BenchFeed) {
    this.filler = shape(f).descBytes ? text(rng(f.index), 500).slice(0, shape(f).descBytes) : '';
  }
  /** The document of generation `gen`: items gen*2 .. gen*2+N-1, newest first. */
  render(gen: number): Buffer {
    const { items } = shape(this.f);
    const parts: string[] = [];
    for (let i = gen * 2 + items - 1; i >= gen * 2; i--) {
      let xml = this.cache.get(i);
      if (xml === undefined) this.cache.set(i, (xml = itemXml(this.f, i, this.filler)));
      parts.push(xml);
    }
    for (const i of this.cache.keys()) if (i < gen * 2) this.cache.delete(i);
    return Buffer.from(
      `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Bench ${this.f.index}</title>` +
        `<link>https://news.example/${this.f.index}/</link><description>Bench feed</description>\n` +
        `${parts.join('\n')}\n</channel></rss>\n`,
    );
  }
}

const RSS = 'application/rss+xml; charset=utf-8';

function route(server: FeedServer, f: BenchFeed, doc: FeedDocument, gen: number): void {
  if (f.kind === 'http-500') server.route(f.path, { status: 500, body: 'oops' });
  else if (f.kind === 'html')
    server.route(
      f.path,
      feed('<!DOCTYPE html><html><body>moved</body></html>', { contentType: 'text/html' }),
    );
  else if (f.kind === 'not-modified') {
    if (gen === 0) server.route(f.path, feed(doc.render(0), { etag: fixedEtag(f) ?? '', contentType: RSS }));
  } else if (f.kind === 'slow') {
    const body = doc.render(gen);
    server.route(
      f.path,
      handler(
        (_req, res) => void setTimeout(() => res.writeHead(200, { 'content-type': RSS }).end(body), 1500),
      ),
    );
  } else server.route(f.path, feed(doc.render(gen), { etag: `"g${gen}-${f.index}"`, contentType: RSS }));
}

async function serve(feeds: BenchFeed[]): Promise<void> {
  const server = await startFeedServer();
  const docs = feeds.map((f) => new FeedDocument(f));
  let gen = 0;
  feeds.forEach((f, i) => route(server, f, docs[i] as FeedDocument, gen));
  process.send?.({ port: server.port });
  process.on('message', (m) => {
    if (m !== 'advance') return;
    gen++;
    feeds.forEach((f, i) => route(server, f, docs[i] as FeedDocument, gen));
    process.send?.({ generation: gen });
  });
  process.on('disconnect', () => void server.close().then(() => process.exit(0)));
}

const at = process.argv.indexOf('--bench-server');
if (at >= 0) void serve(workload(Number(process.argv[at + 1])));
