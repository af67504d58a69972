import type { FeedErrorCode, FeedProblem } from '../../core/feed-types.js';

const TLS_CODES = /^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_OSSL|HOSTNAME_MISMATCH)/;

function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The error and its causes, outermost first (undici wraps socket errors). */
function chain(err: unknown): unknown[] {
  const out: unknown[] = [];
  let cur: unknown = err;
  while (cur && out.length < 8 && !out.includes(cur)) {
    out.push(cur);
    cur = (cur as { cause?: unknown }).cause;
  }
  return out;
}

function classify(code: string | undefined): FeedErrorCode | null {
  if (!code) return null;
  if (code === 'blocked-address') return 'blocked-address';
  if (code === 'too-large') return 'too-large';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NODATA' || code === 'EAI_NONAME')
    return 'dns';
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT')
    return 'timeout';
  if (code === 'UND_ERR_BODY_TIMEOUT' || code === 'deadline') return 'timeout';
  if (TLS_CODES.test(code)) return 'tls';
  return null;
}

/** Maps whatever a request threw to a stable problem code and a one-line message. */
export function problemFromError(err: unknown, deadlineHit: boolean): FeedProblem {
  if (deadlineHit) return { code: 'timeout', message: 'no complete response before the deadline' };
  for (const e of chain(err)) {
    const code = classify(codeOf(e));
    if (code) return { code, message: messageOf(e) };
  }
  return { code: 'network', message: messageOf(err) };
}

function messageOf(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0]?.slice(0, 300) || 'network error';
}

/** Seconds from a Retry-After header (delta seconds or an HTTP date). */
export function retryAfterSeconds(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/** How long the response may be reused, from Cache-Control max-age or Expires; null when not stated. */
export function freshnessSeconds(
  cacheControl: string | null,
  expires: string | null,
  date: string | null,
  now: number,
): number | null {
  const cc = (cacheControl ?? '').toLowerCase();
  if (/(^|,)\s*(no-store|no-cache)\b/.test(cc)) return null;
  const maxAge = /(?:^|,)\s*max-age\s*=\s*"?(\d+)"?/.exec(cc);
  if (maxAge) return Number(maxAge[1]);
  if (!expires) return null;
  const at = Date.parse(expires);
  if (Number.isNaN(at)) return null;
  const base = date ? Date.parse(date) : NaN;
  return Math.max(0, Math.round((at - (Number.isNaN(base) ? now : base)) / 1000));
}

/** The problem for a non-success HTTP status. */
export function problemFromStatus(
  status: number,
  statusText: string,
  retryAfter: number | undefined,
): FeedProblem {
  const message = `HTTP ${status}${statusText ? ` ${statusText}` : ''}`;
  const code: FeedErrorCode = status >= 500 ? 'http-5xx' : status >= 400 ? 'http-4xx' : 'network';
  return retryAfter === undefined
    ? { code, message, status }
    : { code, message, status, retryAfterSec: retryAfter };
}
