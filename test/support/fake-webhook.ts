import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WebhookCall {
  method: string;
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown>;
}

export type WebhookReply = { status: number; body?: unknown; headers?: Record<string, string> };

/**
 * A Discord-webhook look-alike on 127.0.0.1: records every request (POST of a message, PATCH of `…/messages/:id`),
 * and answers with queued replies (default 200 with the message's id: a new one for a POST, the edited one's for a
 * PATCH) so tests can script 429s, 5xx and 404s.
 */
export async function startFakeWebhook() {
  const calls: WebhookCall[] = [];
  const replies: WebhookReply[] = [];
  let nextId = 1000;
  let delayMs = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      calls.push({
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        body: data ? (JSON.parse(data) as Record<string, unknown>) : {},
      });
      const edited = req.method === 'PATCH' ? /\/messages\/(\d+)$/.exec(url.pathname)?.[1] : undefined;
      const reply = replies.shift() ?? { status: 200, body: { id: edited ?? String(nextId++) } };
      // The post has been recorded (accepted); the answer comes `delayMs` later, as from a slow Discord.
      setTimeout(() => {
        res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
        res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
      }, delayMs);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${base}/api/webhooks/123456789/s3cr3t-t0ken-value`,
    calls,
    reply: (...r: WebhookReply[]) => void replies.push(...r),
    setDelay: (ms: number) => void (delayMs = ms),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
