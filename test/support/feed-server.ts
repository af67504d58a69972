import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';

/**
 * A local feed server for tests and benchmarks, on 127.0.0.1 and an ephemeral port.
 *
 *   const server = await startFeedServer({ '/feed.xml': feed(xml, { etag: 'auto' }) });
 *   await fetcher.fetch(server.url('/feed.xml'), ...);
 *   server.route('/feed.xml', feed(newerXml));      // content that changes between polls
 *   server.route('/old', redirect('/feed.xml', 301));
 *   server.route('/slow', drip('<rss>…', { intervalMs: 200 }));
 *   server.route('/any', handler((req, res) => { res.statusCode = 500; res.end(); }));
 *   await server.close();
 *
 * A route is a response description, a function of the poll number returning one, or a raw handler.
 * Conditional requests are answered with 304 when the route has an `etag` / `lastModified` and the request's
 * If-None-Match / If-Modified-Since matches. Every request is recorded in `requests`.
 */

export interface FeedResponse {
  status?: number;
  body?: string | Buffer;
  /** Default `application/rss+xml; charset=utf-8` for string bodies, `application/octet-stream` for Buffers. */
  contentType?: string;
  headers?: Record<string, string>;
  /** ETag to send; `'auto'` derives one from the body. */
  etag?: string;
  lastModified?: string | Date;
  /** Compress the body and send Content-Encoding (`deflate-raw` sends raw deflate labelled `deflate`). */
  encoding?: 'gzip' | 'deflate' | 'deflate-raw' | 'br';
}

export interface RequestContext {
  req: IncomingMessage;
  /** 1 for the first request to this path, 2 for the second... */
  hit: number;
  server: FeedServer;
}

export type RawHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  ctx: RequestContext,
) => void | Promise<void>;

export type Route = FeedResponse | ((ctx: RequestContext) => FeedResponse) | { handler: RawHandler };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
}

export interface FeedServer {
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  url(path: string): string;
  route(path: string, route: Route): void;
  readonly requests: RecordedRequest[];
  /** Requests so far to `path`. */
  hits(path: string): number;
  /** TCP connections accepted so far. */
  readonly connections: number;
  /** Connections currently open. */
  readonly openSockets: number;
  /** Resolves once no connection is open (or rejects after `timeoutMs`). */
  waitForNoOpenSockets(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** A feed response (sugar for the object form). */
export function feed(body: string | Buffer, options: Omit<FeedResponse, 'body'> = {}): FeedResponse {
  return { ...options, body };
}

export function redirect(location: string, status = 302): FeedResponse {
  return { status, headers: { location }, body: '' };
}

/** Responses for successive polls; the last one repeats. */
export function sequence(responses: FeedResponse[]): (ctx: RequestContext) => FeedResponse {
  return ({ hit }) => responses[Math.min(hit, responses.length) - 1] ?? {};
}

export function handler(fn: RawHandler): { handler: RawHandler } {
  return { handler: fn };
}

/** Sends headers, then `bytesPerTick` bytes of `body` every `intervalMs` (a server that hangs mid-body). */
export function drip(
  body: string,
  options: { intervalMs?: number; bytesPerTick?: number; contentType?: string } = {},
): { handler: RawHandler } {
  const { intervalMs = 100, bytesPerTick = 1, contentType = 'application/rss+xml' } = options;
  return handler((_req, res) => {
    const bytes = Buffer.from(body);
    res.writeHead(200, { 'content-type': contentType, 'content-length': String(bytes.length) });
    let sent = 0;
    const timer = setInterval(() => {
      if (res.destroyed || sent >= bytes.length) {
        clearInterval(timer);
        if (!res.destroyed) res.end();
        return;
      }
      res.write(bytes.subarray(sent, sent + bytesPerTick));
      sent += bytesPerTick;
    }, intervalMs);
    res.on('close', () => clearInterval(timer));
  });
}

function compress(body: Buffer, encoding: FeedResponse['encoding']): Buffer {
  switch (encoding) {
    case 'gzip':
      return gzipSync(body);
    case 'deflate':
      return deflateSync(body);
    case 'deflate-raw':
      return deflateRawSync(body);
    case 'br':
      return brotliCompressSync(body);
    default:
      return body;
  }
}

function notModified(
  req: IncomingMessage,
  etag: string | undefined,
  lastModified: string | undefined,
): boolean {
  const inm = req.headers['if-none-match'];
  if (etag && inm) return inm.split(',').some((t) => t.trim() === etag);
  const ims = req.headers['if-modified-since'];
  if (lastModified && ims) return Date.parse(ims) >= Date.parse(lastModified);
  return false;
}

function send(req: IncomingMessage, res: ServerResponse, r: FeedResponse): void {
  const raw = typeof r.body === 'string' ? Buffer.from(r.body) : (r.body ?? Buffer.alloc(0));
  const etag = r.etag === 'auto' ? `"${createHash('sha1').update(raw).digest('hex').slice(0, 16)}"` : r.etag;
  const lastModified = r.lastModified instanceof Date ? r.lastModified.toUTCString() : r.lastModified;
  const headers: Record<string, string> = { ...r.headers };
  if (etag) headers.etag = etag;
  if (lastModified) headers['last-modified'] = lastModified;
  if ((r.status ?? 200) === 200 && notModified(req, etag, lastModified)) {
    res.writeHead(304, headers).end();
    return;
  }
  const body = compress(raw, r.encoding);
  if (r.encoding) headers['content-encoding'] = r.encoding === 'deflate-raw' ? 'deflate' : r.encoding;
  headers['content-type'] ??=
    r.contentType ??
    (typeof r.body === 'string' ? 'application/rss+xml; charset=utf-8' : 'application/octet-stream');
  headers['content-length'] = String(body.length);
  res.writeHead(r.status ?? 200, headers).end(body);
}

export async function startFeedServer(routes: Record<string, Route> = {}): Promise<FeedServer> {
  const table = new Map<string, Route>(Object.entries(routes));
  const hitCounts = new Map<string, number>();
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;

  const httpServer = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    requests.push({ method: req.method ?? 'GET', path, headers: req.headers });
    const hit = (hitCounts.get(path) ?? 0) + 1;
    hitCounts.set(path, hit);
    const route = table.get(path);
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const ctx: RequestContext = { req, hit, server };
    if ('handler' in route) {
      void Promise.resolve(route.handler(req, res, ctx)).catch(() => res.destroy());
      return;
    }
    send(req, res, typeof route === 'function' ? route(ctx) : route);
  });
  httpServer.on('connection', (socket: Socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;

  const server: FeedServer = {
    port,
    origin: `http://127.0.0.1:${port}`,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    route: (path, route) => void table.set(path, route),
    requests,
    hits: (path) => hitCounts.get(path) ?? 0,
    get connections() {
      return connections;
    },
    get openSockets() {
      return sockets.size;
    },
    async waitForNoOpenSockets(timeoutMs = 2000) {
      const until = Date.now() + timeoutMs;
      while (sockets.size > 0) {
        if (Date.now() > until)
          throw new Error(`${sockets.size} connection(s) still open after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const s of sockets) s.destroy();
        httpServer.close((err) => (err ? reject(err) : resolve()));
      }),
  };
  return server;
}
