import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';

/** What the gateway needs from the rest of the fake to greet a client. */
export interface GatewayHost {
  /** READY `d` for a new session (without session_id / resume_gateway_url, which the gateway adds). */
  readyPayload(): Record<string, unknown>;
  /** GUILD_CREATE `d` for every guild, sent right after READY so discord.js does not wait for guilds. */
  guildCreatePayloads(): Record<string, unknown>[];
  /** When set, IDENTIFY must carry exactly this token (else close 4004, as Discord does). */
  token?: string;
}

export interface GatewayOptions {
  path: string;
  heartbeatIntervalMs: number;
}

/** A received IDENTIFY, minus its token. */
export interface FakeIdentify {
  intents: number;
  shard?: [number, number];
  properties?: Record<string, unknown>;
}

interface Session {
  id: string;
  socket: WebSocket | undefined;
  sequence: number;
  identified: boolean;
}

interface GatewayPayload {
  op: number;
  d?: unknown;
  s?: number | null;
  t?: string | null;
}

/** Discord's gateway protocol over `ws`: HELLO, IDENTIFY → READY + GUILD_CREATE, heartbeats, RESUME, dispatches. */
export class FakeGateway {
  readonly identifies: FakeIdentify[] = [];
  readonly heartbeats: { at: number; sequence: number | null }[] = [];
  /** Query strings clients connected with (`v`, `encoding`, `compress`). */
  readonly connections: Record<string, string>[] = [];
  resumes = 0;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sessions = new Map<string, Session>();
  private sessionCounter = 0;
  private readonly onUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

  constructor(
    private readonly server: Server,
    private readonly host: GatewayHost,
    private readonly options: GatewayOptions,
    private readonly baseUrl: () => string,
  ) {
    this.onUpgrade = (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname.replace(/\/+$/, '') !== options.path) {
        socket.destroy();
        return;
      }
      this.connections.push(Object.fromEntries(url.searchParams));
      this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, url.searchParams));
    };
    server.on('upgrade', this.onUpgrade);
  }

  get url(): string {
    return `${this.baseUrl()}${this.options.path}`;
  }

  /** Sessions that completed IDENTIFY or RESUME and have an open socket. */
  get readySessions(): number {
    return [...this.sessions.values()].filter((s) => s.identified && s.socket).length;
  }

  /** Sends a dispatch (op 0) to every identified session; returns how many received it. */
  dispatch(event: string, data: unknown): number {
    let sent = 0;
    for (const session of this.sessions.values()) {
      if (!session.identified || !session.socket) continue;
      this.send(session, { op: 0, t: event, d: data });
      sent += 1;
    }
    return sent;
  }

  /** Drops every connection with a close code, e.g. 4000 to make discord.js resume. */
  disconnectAll(code = 4000): void {
    for (const session of this.sessions.values()) session.socket?.close(code, 'fake discord disconnect');
  }

  async close(): Promise<void> {
    this.server.off('upgrade', this.onUpgrade);
    for (const ws of this.wss.clients) ws.terminate();
    for (const session of this.sessions.values()) session.socket = undefined;
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private accept(ws: WebSocket, query: URLSearchParams): void {
    if ((query.get('encoding') ?? 'json') !== 'json' || query.has('compress')) {
      // Only the plain JSON transport is faked; discord.js uses it unless zlib-sync is installed.
      ws.close(4002, 'fake discord supports encoding=json without compress only');
      return;
    }
    let session: Session | undefined;
    ws.send(
      JSON.stringify({
        op: 10,
        d: { heartbeat_interval: this.options.heartbeatIntervalMs },
        s: null,
        t: null,
      }),
    );
    ws.on('message', (raw) => {
      let payload: GatewayPayload;
      try {
        payload = JSON.parse(String(raw)) as GatewayPayload;
      } catch {
        ws.close(4002, 'Error while decoding payload.');
        return;
      }
      session = this.onPayload(ws, session, payload);
    });
    ws.on('close', () => {
      if (session && session.socket === ws) session.socket = undefined;
    });
  }

  private onPayload(
    ws: WebSocket,
    session: Session | undefined,
    payload: GatewayPayload,
  ): Session | undefined {
    switch (payload.op) {
      case 1: {
        this.heartbeats.push({ at: Date.now(), sequence: (payload.d as number | null) ?? null });
        ws.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
        return session;
      }
      case 2: {
        if (session?.identified) {
          ws.close(4005, 'Already authenticated.');
          return session;
        }
        const d = (payload.d ?? {}) as Record<string, unknown>;
        if (this.host.token !== undefined && d.token !== this.host.token) {
          ws.close(4004, 'Authentication failed.');
          return session;
        }
        this.identifies.push({
          intents: Number(d.intents ?? 0),
          ...(Array.isArray(d.shard) ? { shard: d.shard as [number, number] } : {}),
          ...(d.properties ? { properties: d.properties as Record<string, unknown> } : {}),
        });
        this.sessionCounter += 1;
        const created: Session = {
          id: `fake-session-${this.sessionCounter}`,
          socket: ws,
          sequence: 0,
          identified: true,
        };
        this.sessions.set(created.id, created);
        this.send(created, {
          op: 0,
          t: 'READY',
          d: { v: 10, ...this.host.readyPayload(), session_id: created.id, resume_gateway_url: this.url },
        });
        for (const guild of this.host.guildCreatePayloads())
          this.send(created, { op: 0, t: 'GUILD_CREATE', d: guild });
        return created;
      }
      case 6: {
        const d = (payload.d ?? {}) as Record<string, unknown>;
        const resumed = this.sessions.get(String(d.session_id));
        if (!resumed || (this.host.token !== undefined && d.token !== this.host.token)) {
          ws.send(JSON.stringify({ op: 9, d: false, s: null, t: null }));
          return session;
        }
        this.resumes += 1;
        resumed.socket = ws;
        this.send(resumed, { op: 0, t: 'RESUMED', d: {} });
        return resumed;
      }
      default:
        // Presence/voice updates and member requests need no answer for these tests.
        return session;
    }
  }

  private send(session: Session, payload: GatewayPayload): void {
    session.sequence += 1;
    session.socket?.send(JSON.stringify({ ...payload, s: session.sequence }));
  }
}
