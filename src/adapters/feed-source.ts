import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { FeedFetcher } from '../app/ports.js';
import type { FeedProblem, ParsedFeed } from '../core/feed-types.js';
import { createFeedParser } from './feed-parser/feed-parser.js';
import type { FeedFetcherOptions } from './http/feed-fetcher.js';
import { createFeedFetcher } from './http/feed-fetcher.js';
import { decodeFeedBytes } from './http/charset.js';

export type FeedSourceResult =
  { ok: true; feed: ParsedFeed; url: string | null } | { ok: false; problem: FeedProblem };

export interface FeedSourceOptions {
  /** Directory relative paths are resolved against (default: the process's). */
  cwd?: string;
  /** Use this fetcher instead of creating one (it is then not closed here). */
  fetcher?: FeedFetcher;
  /** Settings for the fetcher created here, e.g. an allowed test server or an injected resolver. */
  fetcherOptions?: Partial<FeedFetcherOptions>;
}

const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;

/** `WIREWATCH_ALLOW_PRIVATE_NETWORKS=1` (or `true`) lets command-line fetches reach loopback and private networks. */
export function allowPrivateFromEnv(env: Readonly<Record<string, string | undefined>>): boolean {
  const v = (env.WIREWATCH_ALLOW_PRIVATE_NETWORKS ?? '').trim().toLowerCase();
  return v === '1' || v === 'true' || v === 'yes';
}

async function loadText(
  target: string,
  env: Readonly<Record<string, string | undefined>>,
  options: FeedSourceOptions,
): Promise<{ ok: true; text: string; url: string | null } | { ok: false; problem: FeedProblem }> {
  if (URL_LIKE.test(target)) {
    if (!/^https?:/i.test(target))
      return {
        ok: false,
        problem: { code: 'invalid-url', message: `only http and https URLs can be fetched: ${target}` },
      };
    const own = options.fetcher
      ? null
      : createFeedFetcher({ allowPrivateNetworks: allowPrivateFromEnv(env), ...options.fetcherOptions });
    const fetcher = options.fetcher ?? own;
    try {
      const res = await fetcher!.fetch(target, { etag: null, lastModified: null });
      if (res.kind === 'error') return { ok: false, problem: res.problem };
      if (res.kind === 'not-modified')
        return {
          ok: false,
          problem: {
            code: 'network',
            message: 'server answered 304 Not Modified to an unconditional request',
          },
        };
      return { ok: true, text: res.text, url: res.finalUrl };
    } finally {
      await own?.close();
    }
  }
  try {
    return {
      ok: true,
      text: decodeFeedBytes(await readFile(resolve(options.cwd ?? process.cwd(), target))),
      url: null,
    };
  } catch (err) {
    const code = (err as { code?: string }).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : 'cannot be read';
    return { ok: false, problem: { code: 'not-a-feed', message: `${target}: ${why}` } };
  }
}

/**
 * Loads and parses a feed named on the command line (`parse`, `match --feed`): a URL goes through the fetcher and
 * so the address policy; anything else is a file whose bytes are decoded like a response without a charset
 * header (BOM, XML declaration, else UTF-8).
 */
export async function loadFeedSource(
  target: string,
  env: Readonly<Record<string, string | undefined>>,
  options: FeedSourceOptions = {},
): Promise<FeedSourceResult> {
  const loaded = await loadText(target, env, options);
  if (!loaded.ok) return loaded;
  const parsed = await createFeedParser().parse(loaded.text, loaded.url);
  return parsed.ok
    ? { ok: true, feed: parsed.feed, url: loaded.url }
    : { ok: false, problem: parsed.problem };
}
