import { createRequire } from 'node:module';
import type * as Net from 'node:net';
import type * as Tls from 'node:tls';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FetchResult } from '../../../src/app/ports.js';
import type { ResolvedAddress } from '../../../src/adapters/http/guarded-connector.js';
import { createFeedFetcher } from '../../../src/adapters/http/feed-fetcher.js';
import type { FeedServer } from '../../support/feed-server.js';
import { feed, redirect, startFeedServer } from '../../support/feed-server.js';

/**
 * Server-side request forgery: every address is checked when the connection is made. Blocked targets here are
 * loopback addresses (a bug would reach our own test server, never another machine) or come from an injected
 * resolver; in both cases no socket may be opened at all.
 */

// The CommonJS module objects undici calls into (an ESM namespace could not be spied on).
const require = createRequire(import.meta.url);
const net = require('node:net') as typeof Net;
const tls = require('node:tls') as typeof Tls;

const none = { etag: null, lastModified: null };
const RSS = '<rss version="2.0"><channel><title>ok</title></channel></rss>';

let allowed: FeedServer;
let other: FeedServer;
let connectSpy: ReturnType<typeof vi.spyOn>;
let tlsSpy: ReturnType<typeof vi.spyOn>;

beforeAll(async () => {
  allowed = await startFeedServer({ '/feed.xml': feed(RSS) });
  other = await startFeedServer({ '/feed.xml': feed(RSS) });
});
afterAll(async () => {
  await allowed.close();
  await other.close();
});
beforeEach(() => {
  connectSpy = vi.spyOn(net, 'connect');
  tlsSpy = vi.spyOn(tls, 'connect');
});
afterEach(() => {
  vi.restoreAllMocks();
});

function expectBlocked(result: FetchResult): void {
  expect(result).toMatchObject({ kind: 'error', problem: { code: 'blocked-address' } });
  expect(connectSpy).not.toHaveBeenCalled();
  expect(tlsSpy).not.toHaveBeenCalled();
}

describe('literal addresses in any notation', () => {
  const fetcher = createFeedFetcher({ timeoutMs: 2000 });
  afterAll(() => fetcher.close());

  it.each([
    ['decimal', (p: number) => `http://2130706433:${p}/feed.xml`],
    ['hex', (p: number) => `http://0x7f000001:${p}/feed.xml`],
    ['short', (p: number) => `http://127.1:${p}/feed.xml`],
    ['octal', (p: number) => `http://0177.0.0.1:${p}/feed.xml`],
    ['IPv4-mapped IPv6', (p: number) => `http://[::ffff:127.0.0.1]:${p}/feed.xml`],
    ['IPv6 loopback', (p: number) => `http://[::1]:${p}/feed.xml`],
    ['another loopback address', (p: number) => `http://127.0.0.2:${p}/feed.xml`],
    ['unspecified', (p: number) => `http://0.0.0.0:${p}/feed.xml`],
    ['https', (p: number) => `https://127.0.0.1:${p}/feed.xml`],
  ])('blocks %s', async (_name, url) => {
    expectBlocked(await fetcher.fetch(url(allowed.port), none));
    expect(allowed.connections).toBe(0);
  });

  it('blocks localhost (resolved, then checked)', async () => {
    const resolved: string[] = [];
    const local = createFeedFetcher({
      lookup: async (host) => (resolved.push(host), [{ address: '127.0.0.1', family: 4 }]),
    });
    expectBlocked(await local.fetch(`http://localhost:${allowed.port}/feed.xml`, none));
    expect(resolved).toEqual(['localhost']);
    await local.close();
  });
});

describe('addresses from DNS', () => {
  const answers: Record<string, ResolvedAddress[]> = {
    'ten.test': [{ address: '10.0.0.1', family: 4 }],
    'metadata.test': [{ address: '169.254.169.254', family: 4 }],
    'ula.test': [{ address: 'fd00::1', family: 6 }],
    'mapped.test': [{ address: '::ffff:10.0.0.1', family: 6 }],
    'nat64.test': [{ address: '64:ff9b::a9fe:a9fe', family: 6 }],
    'cgnat.test': [{ address: '100.64.1.1', family: 4 }],
  };
  const fetcher = createFeedFetcher({ lookup: async (host) => answers[host] ?? [] });
  afterAll(() => fetcher.close());

  it.each(Object.keys(answers))('blocks %s without connecting', async (host) => {
    expectBlocked(await fetcher.fetch(`http://${host}/feed.xml`, none));
  });

  it('checks every answer of a record set, not only the first', async () => {
    const mixed = createFeedFetcher({
      allowedHosts: ['127.0.0.1'],
      lookup: async () => [
        { address: '127.0.0.1', family: 4 },
        { address: '10.9.9.9', family: 4 },
      ],
    });
    expectBlocked(await mixed.fetch(`http://mixed.test:${allowed.port}/feed.xml`, none));
    await mixed.close();
  });

  it('blocks on a redirect hop as well', async () => {
    const named = createFeedFetcher({
      allowedHosts: ['feeds.test'],
      lookup: async (host) =>
        host === 'feeds.test' ? [{ address: '127.0.0.1', family: 4 }] : (answers[host] ?? []),
    });
    allowed.route('/to-metadata', redirect('http://metadata.test/latest/meta-data/'));
    const result = await named.fetch(`http://feeds.test:${allowed.port}/to-metadata`, none);
    expect(result).toMatchObject({ kind: 'error', problem: { code: 'blocked-address' } });
    await named.close();
  });
});

describe('allowed servers', () => {
  it('reaches a host listed by name, but not another loopback port it redirects to', async () => {
    const fetcher = createFeedFetcher({
      allowedHosts: ['feeds.test'],
      lookup: async () => [{ address: '127.0.0.1', family: 4 }],
    });
    allowed.route('/elsewhere', redirect(`http://127.0.0.1:${other.port}/feed.xml`));
    expect(await fetcher.fetch(`http://feeds.test:${allowed.port}/feed.xml`, none)).toMatchObject({
      kind: 'ok',
    });
    const before = other.connections;
    expect(await fetcher.fetch(`http://feeds.test:${allowed.port}/elsewhere`, none)).toMatchObject({
      kind: 'error',
      problem: { code: 'blocked-address' },
    });
    expect(other.connections).toBe(before);
    await fetcher.close();
  });

  it('reaches loopback when private networks are allowed', async () => {
    const fetcher = createFeedFetcher({ allowPrivateNetworks: true });
    expect(await fetcher.fetch(allowed.url('/feed.xml'), none)).toMatchObject({ kind: 'ok' });
    // The spy sees undici's connections, so "not called" above means no socket was opened.
    expect(connectSpy).toHaveBeenCalled();
    await fetcher.close();
  });
});
