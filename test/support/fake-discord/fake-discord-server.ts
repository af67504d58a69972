import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeFile } from './fake-message-store.js';

/** One REST request as the fake saw it. The Authorization header is never kept, only whether and how it was sent. */
export interface FakeRequest {
  method: string;
  /** Path after `/api/v{n}`, without the query, e.g. `/channels/1/messages`. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  auth: 'bot' | 'none' | 'other';
  /** JSON body, or `payload_json` of a multipart body. */
  body: unknown;
  files: FakeFile[];
  status: number;
  /** True when a `failNext` rule answered instead of the fake's routes. */
  injected: boolean;
  at: number;
}

export interface FaultSpec {
  method?: string;
  /** Exact path after `/api/v10` (e.g. `/channels/1/messages`) or a RegExp tested against it. */
  path: string | RegExp;
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** How many matching requests fail (default 1). */
  times?: number;
}

export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** Regex groups of the route; an optional group that did not match is undefined. */
  params: (string | undefined)[];
  body: unknown;
  files: FakeFile[];
  auth: FakeRequest['auth'];
}

export type RouteHandler = (req: RouteRequest) => RouteResult;

export interface Route {
  method: string;
  pattern: RegExp;
  handler: RouteHandler;
  /** Interaction callbacks and webhook routes are authenticated by their token, not a bot token. */
  noAuth?: boolean;
}

export interface RestServerOptions {
  routes: Route[];
  /** When set, bot requests must carry exactly `Bot <token>`. */
  token?: string;
  /** Raw GETs outside the API (attachment downloads); return undefined for 404. */
  serveRaw?: (path: string) => { contentType: string; data: Buffer } | undefined;
  onRequest?: (request: FakeRequest) => void;
}

const API_PREFIX = /^\/api\/v(\d+)(\/.*)$/;

async function readBody(req: IncomingMessage): Promise<{ body: unknown; files: FakeFile[] }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const type = req.headers['content-type'] ?? '';
  if (raw.length === 0) return { body: undefined, files: [] };
  if (type.startsWith('multipart/form-data')) {
    // undici's Response parses multipart the same way a server would; no hand-written parser needed.
    const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
    const files: FakeFile[] = [];
    let body: unknown;
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        if (field === 'payload_json') body = JSON.parse(value);
      } else {
        const data = Buffer.from(await value.arrayBuffer());
        files.push({ field, filename: value.name, contentType: value.type, size: data.length, data });
      }
    }
    return { body, files };
  }
  const text = raw.toString('utf8');
  return { body: type.includes('json') ? JSON.parse(text) : text, files: [] };
}

function redactedHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers[name] = name === 'authorization' ? '[redacted]' : Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function send(res: ServerResponse, result: RouteResult): void {
  const headers: Record<string, string> = { ...result.headers };
  if (result.status === 204 || result.body === undefined) {
    res.writeHead(result.status, headers).end();
    return;
  }
  if (typeof result.body === 'string') {
    res.writeHead(result.status, { 'content-type': 'text/plain', ...headers }).end(result.body);
    return;
  }
  headers['content-type'] = 'application/json';
  res.writeHead(result.status, headers).end(JSON.stringify(result.body));
}

/** Plain node:http REST with request recording and fault injection; routing is handed in. */
export class FakeRestServer {
  readonly server: Server;
  readonly requests: FakeRequest[] = [];
  private readonly faults: (FaultSpec & { remaining: number })[] = [];
  private delay: { method?: string; path: string | RegExp; ms: number } | null = null;

  constructor(private readonly options: RestServerOptions) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent)
          send(res, { status: 500, body: { code: 0, message: `fake discord bug: ${String(error)}` } });
      });
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Holds matching responses back for `ms` AFTER the request took effect (a message is stored, then answered):
   * the window in which a crashed bot does not know that Discord accepted its message. null clears it. */
  delayResponses(spec: { method?: string; path: string | RegExp; ms: number } | null): void {
    this.delay = spec;
  }

  failNext(fault: FaultSpec): void {
    this.faults.push({ ...fault, remaining: fault.times ?? 1 });
  }

  private takeFault(method: string, path: string): FaultSpec | undefined {
    const index = this.faults.findIndex(
      (f) =>
        (f.method === undefined || f.method.toUpperCase() === method) &&
        (typeof f.path === 'string' ? f.path === path : f.path.test(path)),
    );
    const fault = this.faults[index];
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults.splice(index, 1);
    return fault;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const api = API_PREFIX.exec(url.pathname);
    if (!api) {
      const raw = method === 'GET' ? this.options.serveRaw?.(url.pathname) : undefined;
      if (raw) res.writeHead(200, { 'content-type': raw.contentType }).end(raw.data);
      else send(res, { status: 404, body: { code: 0, message: '404: Not Found' } });
      return;
    }
    const path = decodeURIComponent(api[2] ?? '/');
    const { body, files } = await readBody(req);
    const authorization = req.headers.authorization;
    const auth: FakeRequest['auth'] =
      authorization === undefined ? 'none' : authorization.startsWith('Bot ') ? 'bot' : 'other';
    const record: FakeRequest = {
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      headers: redactedHeaders(req),
      auth,
      body,
      files,
      status: 0,
      injected: false,
      at: Date.now(),
    };
    const result = this.route(record, url.searchParams, authorization);
    record.status = result.status;
    this.requests.push(record);
    const delay = this.delay;
    if (
      delay &&
      (delay.method === undefined || delay.method.toUpperCase() === method) &&
      (typeof delay.path === 'string' ? delay.path === path : delay.path.test(path))
    ) {
      await new Promise((resolve) => setTimeout(resolve, delay.ms));
    }
    send(res, result);
    this.options.onRequest?.(record);
  }

  private route(record: FakeRequest, query: URLSearchParams, authorization: string | undefined): RouteResult {
    const fault = this.takeFault(record.method, record.path);
    if (fault) {
      record.injected = true;
      return {
        status: fault.status,
        body: fault.body ?? { code: 0, message: `injected ${fault.status}` },
        ...(fault.headers ? { headers: fault.headers } : {}),
      };
    }
    for (const route of this.options.routes) {
      if (route.method !== record.method) continue;
      const match = route.pattern.exec(record.path);
      if (!match) continue;
      const expected = this.options.token === undefined ? undefined : `Bot ${this.options.token}`;
      const authorized = record.auth === 'bot' && (expected === undefined || authorization === expected);
      if (!route.noAuth && !authorized)
        return { status: 401, body: { code: 0, message: '401: Unauthorized' } };
      return route.handler({
        method: record.method,
        path: record.path,
        query,
        params: match.slice(1),
        body: record.body,
        files: record.files,
        auth: record.auth,
      });
    }
    return { status: 404, body: { code: 0, message: '404: Not Found' } };
  }
}
