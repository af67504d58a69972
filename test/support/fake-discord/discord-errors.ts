import type { FaultSpec } from './fake-discord-server.js';

type FaultResponse = Pick<FaultSpec, 'status' | 'body' | 'headers'>;

function jsonError(status: number, code: number, message: string): FaultResponse {
  return { status, body: { code, message } };
}

/** Responses Discord really sends, to spread into `failNext({ method, path, ...discordErrors.x })`. */
export const discordErrors = {
  /**
   * A 429 with the headers discord.js reads. `retryAfter` is in seconds and may be fractional to keep tests fast;
   * `global` adds X-RateLimit-Global, which makes discord.js hold every route.
   */
  rateLimited({
    retryAfter = 1,
    global = false,
  }: { retryAfter?: number; global?: boolean } = {}): FaultResponse {
    return {
      status: 429,
      body: {
        message: 'You are being rate limited.',
        retry_after: retryAfter,
        global,
        ...(global ? { code: 0 } : {}),
      },
      headers: {
        'Retry-After': String(retryAfter),
        'X-RateLimit-Limit': '5',
        'X-RateLimit-Remaining': '0',
        'X-RateLimit-Reset-After': String(retryAfter),
        'X-RateLimit-Scope': global ? 'global' : 'user',
        ...(global ? { 'X-RateLimit-Global': 'true' } : {}),
      },
    };
  },
  missingAccess: jsonError(403, 50001, 'Missing Access'),
  missingPermissions: jsonError(403, 50013, 'Missing Permissions'),
  unknownChannel: jsonError(404, 10003, 'Unknown Channel'),
  unknownMessage: jsonError(404, 10008, 'Unknown Message'),
  unknownInteraction: jsonError(404, 10062, 'Unknown interaction'),
  serverError: jsonError(500, 0, '500: Internal Server Error'),
  badGateway: {
    status: 502,
    body: '<html><body>502 Bad Gateway</body></html>',
    headers: { 'content-type': 'text/html' },
  },
} satisfies Record<string, FaultResponse | ((...args: never[]) => FaultResponse)>;
