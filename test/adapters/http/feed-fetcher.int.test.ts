import iconv from 'iconv-lite';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FetchResult } from '../../../src/app/ports.js';
import type { FeedFetcherOptions } from '../../../src/adapters/http/feed-fetcher.js';
import { createFeedFetcher } from '../../../src/adapters/http/feed-fetcher.js';
import { createFeedParser } from '../../../src/adapters/feed-parser/feed-parser.js';
import type { FeedServer } from '../../support/feed-server.js';
import { feed, redirect, sequence, startFeedServer } from '../../support/feed-server.js';

const RSS = (title: string, items = ['One']): string =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>${title}</title>${items.map((t, i) => `<item><title>${t}</title><guid>g${i}</guid></item>`).join('')}</channel></rss>`;
const none = { etag: null, lastModified: null };

let server: FeedServer;
const fetcherWith = (options: FeedFetcherOptions = {}) =>
  createFeedFetcher({ allowedHosts: ['127.0.0.1'], timeoutMs: 3000, ...options });
const fetcher = fetcherWith();

beforeAll(async () => {
  server = await startFeedServer();
});
afterAll(async () => {
  await fetcher.close();
  await server.close();
});

function okText(result: FetchResult): string {
  if (result.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(result)}`);
  return result.text;
}

describe('conditional GET', () => {
  it('sends the stored ETag and Last-Modified and treats 304 as not modified', async () => {
    server.route(
      '/cond.xml',
      feed(RSS('Cond'), {
        etag: '"v1"',
        lastModified: 'Tue, 04 Mar 2025 09:00:00 GMT',
        headers: { 'cache-control': 'max-age=600' },
      }),
    );
    const first = await fetcher.fetch(server.url('/cond.xml'), none);
    expect(first).toMatchObject({
      kind: 'ok',
      etag: '"v1"',
      lastModified: 'Tue, 04 Mar 2025 09:00:00 GMT',
      freshForSec: 600,
      permanentUrl: null,
    });
    const second = await fetcher.fetch(server.url('/cond.xml'), {
      etag: '"v1"',
      lastModified: 'Tue, 04 Mar 2025 09:00:00 GMT',
    });
    expect(second).toEqual({ kind: 'not-modified', freshForSec: 600 });
    const sent = server.requests.filter((r) => r.path === '/cond.xml')[1]?.headers;
    expect(sent?.['if-none-match']).toBe('"v1"');
    expect(sent?.['if-modified-since']).toBe('Tue, 04 Mar 2025 09:00:00 GMT');
  });

  it('answers 304 on Last-Modified alone, and sees content that changed between polls', async () => {
    server.route(
      '/seq.xml',
      sequence([
        feed(RSS('Seq', ['Old']), { lastModified: 'Mon, 03 Mar 2025 00:00:00 GMT' }),
        feed(RSS('Seq', ['New', 'Old']), { lastModified: 'Wed, 05 Mar 2025 00:00:00 GMT' }),
      ]),
    );
    expect(okText(await fetcher.fetch(server.url('/seq.xml'), none))).toContain('<title>Old</title>');
    const changed = await fetcher.fetch(server.url('/seq.xml'), {
      etag: null,
      lastModified: 'Mon, 03 Mar 2025 00:00:00 GMT',
    });
    expect(okText(changed)).toContain('<title>New</title>');
    expect(
      await fetcher.fetch(server.url('/seq.xml'), {
        etag: null,
        lastModified: 'Wed, 05 Mar 2025 00:00:00 GMT',
      }),
    ).toMatchObject({ kind: 'not-modified' });
  });

  it('identifies itself and asks for compression', async () => {
    server.route('/ua.xml', feed(RSS('UA')));
    await fetcher.fetch(server.url('/ua.xml'), none);
    const headers = server.requests.find((r) => r.path === '/ua.xml')?.headers;
    expect(headers?.['user-agent']).toMatch(/^wirewatch\/\d+\.\d+\.\d+ \(\+https?:\/\/\S+\)$/);
    expect(headers?.['accept-encoding']).toBe('gzip, deflate, br');
  });
});

describe('content encodings and charsets', () => {
  it.each(['gzip', 'deflate', 'deflate-raw', 'br'] as const)('decodes %s', async (encoding) => {
    server.route(`/enc-${encoding}.xml`, feed(RSS(`Compressed ${encoding}`), { encoding }));
    expect(okText(await fetcher.fetch(server.url(`/enc-${encoding}.xml`), none))).toContain(
      `Compressed ${encoding}`,
    );
  });

  it('decodes windows-1252 declared only in the XML prolog', async () => {
    const body = iconv.encode(
      `<?xml version="1.0" encoding="windows-1252"?><rss version="2.0"><channel><title>“Quotes” – €</title></channel></rss>`,
      'windows-1252',
    );
    server.route('/cp1252.xml', feed(body, { contentType: 'application/rss+xml' }));
    const result = await fetcher.fetch(server.url('/cp1252.xml'), none);
    const parsed = await createFeedParser().parse(okText(result), server.url('/cp1252.xml'));
    expect(parsed).toMatchObject({ ok: true, feed: { title: '“Quotes” – €' } });
  });

  it('decodes EUC-KR declared only in the XML prolog', async () => {
    server.route(
      '/euckr.xml',
      feed(
        iconv.encode(
          `<?xml version="1.0" encoding="euc-kr"?><rss><channel><title>한국 뉴스</title></channel></rss>`,
          'euc-kr',
        ),
        { contentType: 'text/xml' },
      ),
    );
    expect(okText(await fetcher.fetch(server.url('/euckr.xml'), none))).toContain('<title>한국 뉴스</title>');
  });

  it('lets the Content-Type charset override the prolog', async () => {
    server.route(
      '/override.xml',
      feed(
        iconv.encode(
          '<?xml version="1.0" encoding="utf-8"?><rss><channel><title>£“test.”</title></channel></rss>',
          'windows-1252',
        ),
        { contentType: 'text/xml; charset=windows-1252' },
      ),
    );
    expect(okText(await fetcher.fetch(server.url('/override.xml'), none))).toContain('£“test.”');
  });

  it('handles a UTF-8 BOM and UTF-16', async () => {
    server.route(
      '/bom.xml',
      feed(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(RSS('Bom ✓'))])),
    );
    expect(okText(await fetcher.fetch(server.url('/bom.xml'), none)).startsWith('<?xml')).toBe(true);
    server.route(
      '/utf16.xml',
      feed(iconv.encode(RSS('Sixteen ✓').replace('?>', ' encoding="utf-16"?>'), 'utf16le', { addBOM: true })),
    );
    expect(okText(await fetcher.fetch(server.url('/utf16.xml'), none))).toContain('Sixteen ✓');
  });
});

describe('redirects', () => {
  it('follows a permanent chain and reports the new URL', async () => {
    server.route('/r1', redirect('/r2', 301));
    server.route('/r2', redirect(server.url('/r3'), 308));
    server.route('/r3', feed(RSS('Moved')));
    expect(await fetcher.fetch(server.url('/r1'), none)).toMatchObject({
      kind: 'ok',
      finalUrl: server.url('/r3'),
      permanentUrl: server.url('/r3'),
    });
  });

  it('does not report a move when a hop was temporary', async () => {
    server.route('/t1', redirect('/t2', 301));
    server.route('/t2', redirect('/r3', 302));
    expect(await fetcher.fetch(server.url('/t1'), none)).toMatchObject({
      kind: 'ok',
      finalUrl: server.url('/r3'),
      permanentUrl: null,
    });
  });

  it('reports a loop and a chain longer than the limit', async () => {
    server.route('/loop-a', redirect('/loop-b'));
    server.route('/loop-b', redirect('/loop-a'));
    expect(await fetcher.fetch(server.url('/loop-a'), none)).toMatchObject({
      kind: 'error',
      problem: { code: 'too-many-redirects' },
    });
    for (let i = 0; i < 7; i++) server.route(`/hop${i}`, redirect(`/hop${i + 1}`));
    server.route('/hop7', feed(RSS('End')));
    expect(await fetcher.fetch(server.url('/hop0'), none)).toMatchObject({
      kind: 'error',
      problem: { code: 'too-many-redirects' },
    });
  });

  it('refuses a redirect to a non-http scheme', async () => {
    server.route('/to-file', redirect('file:///etc/passwd'));
    expect(await fetcher.fetch(server.url('/to-file'), none)).toMatchObject({
      kind: 'error',
      problem: { code: 'invalid-url' },
    });
  });
});

describe('failures are classified', () => {
  it('HTTP 404 and 503 with Retry-After', async () => {
    server.route('/gone', { status: 404, body: 'no' });
    server.route('/busy', { status: 503, body: 'busy', headers: { 'retry-after': '120' } });
    server.route('/slow-down', {
      status: 429,
      body: 'slow',
      headers: { 'retry-after': new Date(Date.now() + 60_000).toUTCString() },
    });
    expect(await fetcher.fetch(server.url('/gone'), none)).toMatchObject({
      kind: 'error',
      problem: { code: 'http-4xx', status: 404, message: 'HTTP 404 Not Found' },
    });
    expect(await fetcher.fetch(server.url('/busy'), none)).toMatchObject({
      kind: 'error',
      problem: { code: 'http-5xx', status: 503, retryAfterSec: 120 },
    });
    const limited = await fetcher.fetch(server.url('/slow-down'), none);
    expect(limited.kind === 'error' && limited.problem.retryAfterSec).toBeGreaterThan(50);
  });

  it('connection refused', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((r) => probe.close(() => r()));
    expect(await fetcher.fetch(`http://127.0.0.1:${port}/feed`, none)).toMatchObject({
      kind: 'error',
      problem: { code: 'refused' },
    });
  });

  it('DNS failure from the resolver', async () => {
    const dnsFail = fetcherWith({
      lookup: async () =>
        Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.test'), { code: 'ENOTFOUND' })),
    });
    expect(await dnsFail.fetch('http://nowhere.test/feed', none)).toMatchObject({
      kind: 'error',
      problem: { code: 'dns' },
    });
    await dnsFail.close();
  });

  it('invalid URLs: other schemes, credentials, garbage', async () => {
    for (const url of [
      'ftp://example.org/feed',
      'http://user:pw@example.org/feed',
      'not a url',
      'file:///etc/passwd',
    ]) {
      expect(await fetcher.fetch(url, none)).toMatchObject({
        kind: 'error',
        problem: { code: 'invalid-url' },
      });
    }
  });

  it('an HTML page instead of a feed is fetched, then rejected by the parser as not-a-feed', async () => {
    server.route(
      '/page',
      feed('<!DOCTYPE html><html><body>Hello</body></html>', { contentType: 'text/html' }),
    );
    const parsed = await createFeedParser().parse(
      okText(await fetcher.fetch(server.url('/page'), none)),
      server.url('/page'),
    );
    expect(parsed).toMatchObject({ ok: false, problem: { code: 'not-a-feed' } });
  });

  it('a truncated body is a parse error', async () => {
    server.route('/cut.xml', feed(RSS('Cut', ['A', 'B']).slice(0, 120)));
    const parsed = await createFeedParser().parse(
      okText(await fetcher.fetch(server.url('/cut.xml'), none)),
      null,
    );
    expect(parsed).toMatchObject({ ok: false, problem: { code: 'parse-error' } });
  });
});
