import { STATUS_CODES } from 'node:http';
import type { Dispatcher } from 'undici';
import { Agent, request } from 'undici';
import type { FeedFetcher, FetchResult } from '../../app/ports.js';
import type { FeedProblem } from '../../core/feed-types.js';
import { AddressPolicy } from './address-policy.js';
import { readLimitedBody } from './body-reader.js';
import { charsetFromContentType, decodeFeedBytes } from './charset.js';
import { freshnessSeconds, problemFromError, problemFromStatus, retryAfterSeconds } from './fetch-problem.js';
import type { HostResolver } from './guarded-connector.js';
import { createGuardedConnector, systemResolver } from './guarded-connector.js';
import { HostLimiter } from './host-limiter.js';
import { USER_AGENT } from '../../version.js';

export interface FeedFetcherOptions {
  /** One deadline for connect, headers and the whole body, per fetch (redirects included). Default 20 s. */
  timeoutMs?: number;
  /** Limit on the decoded (decompressed) body. Default 10 MiB. */
  maxBodyBytes?: number;
  /** Default 5. */
  maxRedirects?: number;
  /** Default `wirewatch/<version> (+<homepage>)`. */
  userAgent?: string;
  /** Requests at a time per host name. Default 2. */
  maxPerHost?: number;
  /** Allow loopback and private networks (self-hosted intranet feeds). Default false. */
  allowPrivateNetworks?: boolean;
  /** Host names, IPs or CIDRs that are always allowed. */
  allowedHosts?: readonly string[];
  /** DNS resolver; tests inject one so that no real lookup happens. */
  lookup?: HostResolver;
}

export interface HttpFeedFetcher extends FeedFetcher {
  /** Closes pooled connections. */
  close(): Promise<void>;
}

const ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, ' +
  'application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5';
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

type Hop = { kind: 'redirect'; location: string; permanent: boolean } | { kind: 'done'; result: FetchResult };

class DeadlineError extends Error {
  override readonly name = 'DeadlineError';
  readonly code = 'deadline';
}

/** undici's "other side closed" and a reset: the connection died before any response came. */
function isClosedConnection(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'UND_ERR_SOCKET' || code === 'ECONNRESET';
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | null {
  const value = headers[name];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Drops a body we do not want; small ones are drained so the connection can be reused. */
async function discard(body: Dispatcher.ResponseData['body']): Promise<void> {
  try {
    await body.dump({ limit: 64 * 1024 });
  } catch {
    // the connection is closed instead: nothing to do
  }
}

/** Only http(s) URLs without credentials may be fetched. */
export function checkFeedUrl(raw: string): { ok: true; url: URL } | { ok: false; problem: FeedProblem } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, problem: { code: 'invalid-url', message: `not a valid URL: ${raw.slice(0, 200)}` } };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return {
      ok: false,
      problem: {
        code: 'invalid-url',
        message: `only http and https URLs can be fetched, not ${url.protocol}`,
      },
    };
  }
  if (url.username || url.password) {
    return { ok: false, problem: { code: 'invalid-url', message: 'URLs with credentials are not allowed' } };
  }
  if (!url.hostname) return { ok: false, problem: { code: 'invalid-url', message: 'URL has no host' } };
  url.hash = '';
  return { ok: true, url };
}

export function createFeedFetcher(options: FeedFetcherOptions = {}): HttpFeedFetcher {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const maxBodyBytes = options.maxBodyBytes ?? 10 * 1024 * 1024;
  const maxRedirects = options.maxRedirects ?? 5;
  const maxPerHost = options.maxPerHost ?? 2;
  const userAgent = options.userAgent ?? USER_AGENT;
  const policy = new AddressPolicy({
    allowPrivateNetworks: options.allowPrivateNetworks ?? false,
    allowedHosts: options.allowedHosts ?? [],
  });
  const agent = new Agent({
    connect: createGuardedConnector(policy, options.lookup ?? systemResolver, { timeout: timeoutMs }),
    connections: maxPerHost,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    keepAliveTimeout: 4_000,
  });
  const limiter = new HostLimiter(maxPerHost);

  async function hop(
    url: URL,
    validators: { etag: string | null; lastModified: string | null },
    signal: AbortSignal,
  ): Promise<Hop> {
    const headers: Record<string, string> = {
      'user-agent': userAgent,
      accept: ACCEPT,
      'accept-encoding': 'gzip, deflate, br',
    };
    if (validators.etag) headers['if-none-match'] = validators.etag;
    if (validators.lastModified) headers['if-modified-since'] = validators.lastModified;
    const options = { method: 'GET' as const, headers, signal, dispatcher: agent };
    const res = await request(url, options).catch((err: unknown) => {
      // A kept-alive connection that the server closed just as we reused it: a GET is safe to send again, once, on
      // a new connection. Servers drop idle connections whenever they like, so this is no failure of the feed.
      if (signal.aborted || !isClosedConnection(err)) throw err;
      return request(url, options);
    });
    const now = Date.now();
    const h = res.headers;
    const status = res.statusCode;
    const location = header(h, 'location');
    if (REDIRECTS.has(status) && location) {
      await discard(res.body);
      return { kind: 'redirect', location, permanent: status === 301 || status === 308 };
    }
    const freshForSec = freshnessSeconds(
      header(h, 'cache-control'),
      header(h, 'expires'),
      header(h, 'date'),
      now,
    );
    if (status === 304) {
      await discard(res.body);
      return { kind: 'done', result: { kind: 'not-modified', freshForSec } };
    }
    if (status < 200 || status >= 300) {
      await discard(res.body);
      const retryAfter =
        status === 429 || status === 503 ? retryAfterSeconds(header(h, 'retry-after'), now) : undefined;
      return {
        kind: 'done',
        result: { kind: 'error', problem: problemFromStatus(status, STATUS_CODES[status] ?? '', retryAfter) },
      };
    }
    const declared = Number(header(h, 'content-length') ?? NaN);
    const encoding = header(h, 'content-encoding');
    if (!encoding && declared > maxBodyBytes) {
      await discard(res.body);
      return {
        kind: 'done',
        result: {
          kind: 'error',
          problem: {
            code: 'too-large',
            message: `body of ${declared} bytes is over the ${maxBodyBytes}-byte limit`,
          },
        },
      };
    }
    const bytes = await readLimitedBody(res.body, encoding, maxBodyBytes);
    const text = decodeFeedBytes(bytes, charsetFromContentType(header(h, 'content-type')));
    return {
      kind: 'done',
      result: {
        kind: 'ok',
        text,
        finalUrl: url.href,
        permanentUrl: null,
        etag: header(h, 'etag'),
        lastModified: header(h, 'last-modified'),
        freshForSec,
      },
    };
  }

  async function fetchFeed(
    rawUrl: string,
    validators: { etag: string | null; lastModified: string | null },
  ): Promise<FetchResult> {
    const checked = checkFeedUrl(rawUrl);
    if (!checked.ok) return { kind: 'error', problem: checked.problem };
    let url = checked.url;
    const controller = new AbortController();
    let deadlineHit = false;
    let timer: NodeJS.Timeout | null = null;
    const seen = new Set<string>([url.href]);
    let allPermanent = true;
    try {
      for (let redirects = 0; ; redirects++) {
        const current = url;
        const step = await limiter.run(current.hostname, () => {
          // The deadline starts when the first request can actually go out, not while it waits for its host.
          timer ??= setTimeout(() => {
            deadlineHit = true;
            controller.abort(new DeadlineError(`deadline of ${timeoutMs} ms passed`));
          }, timeoutMs);
          return hop(current, validators, controller.signal);
        });
        if (step.kind === 'done') {
          if (step.result.kind === 'ok' && redirects > 0 && allPermanent)
            return { ...step.result, permanentUrl: url.href };
          return step.result;
        }
        allPermanent &&= step.permanent;
        const next = checkFeedUrl(new URL(step.location, current).href);
        if (!next.ok)
          return {
            kind: 'error',
            problem: { ...next.problem, message: `redirect to a bad URL: ${next.problem.message}` },
          };
        if (seen.has(next.url.href))
          return {
            kind: 'error',
            problem: { code: 'too-many-redirects', message: `redirect loop at ${next.url.href}` },
          };
        if (redirects + 1 > maxRedirects)
          return {
            kind: 'error',
            problem: { code: 'too-many-redirects', message: `more than ${maxRedirects} redirects` },
          };
        seen.add(next.url.href);
        url = next.url;
      }
    } catch (err) {
      return { kind: 'error', problem: problemFromError(err, deadlineHit) };
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  return {
    fetch: fetchFeed,
    close: () => agent.close(),
  };
}
