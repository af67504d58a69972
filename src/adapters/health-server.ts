import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import cron from 'node-cron';

export interface ReadinessChecks {
  /** True when the database answers. */
  databaseOpen: () => boolean;
  /** When the last poll tick finished; null before the first. */
  lastTickAt: () => Date | null;
  /** A tick older than this means polling has stalled. */
  maxTickAgeMs: number;
  /** Given only when a Discord token is set: whether the gateway connection is up. */
  discordReady?: () => boolean;
}

export interface HealthServerOptions {
  host: string;
  /** 0 picks a free port (tests); the caller decides whether the server runs at all. */
  port: number;
  readiness: ReadinessChecks;
  /** Prometheus text for /metrics. */
  metrics: { render(): Promise<string>; contentType: string };
  /** Event loop delay above which /healthz fails. */
  maxEventLoopLagMs?: number;
  /** Length of the window over which the worst event loop delay is kept. */
  lagWindowMs?: number;
  now?: () => Date;
}

export interface HealthServer {
  readonly host: string;
  readonly port: number;
  /** Base URL, e.g. http://127.0.0.1:9464 */
  readonly url: string;
  close(): Promise<void>;
}

/** Listening failed (port in use, address not on this host). */
export class HealthServerError extends Error {
  override readonly name = 'HealthServerError';
  readonly code = 'health-listen-failed';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

interface CheckResult {
  ok: boolean;
  reason: string;
}

const DEFAULT_MAX_LAG_MS = 2_000;
const DEFAULT_LAG_WINDOW_MS = 10_000;

/**
 * The service endpoints: GET /healthz (alive, event loop not stalled), GET /readyz (database, Discord gateway, recent
 * poll tick) and GET /metrics (Prometheus). Bodies are one JSON object whose `reason` is a line for humans.
 */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const now = options.now ?? (() => new Date());
  const maxLagMs = options.maxEventLoopLagMs ?? DEFAULT_MAX_LAG_MS;
  const lag = createLagMonitor(options.lagWindowMs ?? DEFAULT_LAG_WINDOW_MS);

  const liveness = (): CheckResult => {
    const worst = lag.worstMs();
    return worst > maxLagMs
      ? { ok: false, reason: `event loop stalled: ${Math.round(worst)} ms delay (limit ${maxLagMs} ms)` }
      : { ok: true, reason: `alive, event loop delay ${Math.round(worst)} ms` };
  };

  const readiness = (): CheckResult => {
    const checks = options.readiness;
    const failures: string[] = [];
    let databaseOpen = false;
    try {
      databaseOpen = checks.databaseOpen();
    } catch {
      databaseOpen = false;
    }
    if (!databaseOpen) failures.push('database is not open');
    if (checks.discordReady && !checks.discordReady()) failures.push('Discord gateway is not connected');
    const lastTick = checks.lastTickAt();
    if (!lastTick) {
      failures.push('no poll tick has finished yet');
    } else {
      const ageMs = now().getTime() - lastTick.getTime();
      if (ageMs > checks.maxTickAgeMs) {
        failures.push(
          `last poll tick finished ${Math.round(ageMs / 1000)} s ago (limit ${Math.round(checks.maxTickAgeMs / 1000)} s)`,
        );
      }
    }
    return failures.length > 0
      ? { ok: false, reason: failures.join('; ') }
      : {
          ok: true,
          reason: `ready, last poll tick ${Math.round((now().getTime() - (lastTick?.getTime() ?? 0)) / 1000)} s ago`,
        };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0];
    const route = path === '/healthz' || path === '/readyz' || path === '/metrics' ? path : null;
    if (!route) return send(res, 404, { status: 'not found', reason: 'try /healthz, /readyz or /metrics' });
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return send(res, 405, { status: 'method not allowed', reason: 'only GET and HEAD' });
    }
    if (route === '/metrics') {
      const text = await options.metrics.render();
      res.writeHead(200, { 'Content-Type': options.metrics.contentType, 'Cache-Control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : text);
      return;
    }
    const result = route === '/healthz' ? liveness() : readiness();
    const status = result.ok
      ? route === '/healthz'
        ? 'ok'
        : 'ready'
      : route === '/healthz'
        ? 'unhealthy'
        : 'not ready';
    send(res, result.ok ? 200 : 503, { status, reason: result.reason }, req.method === 'HEAD');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent)
        send(res, 500, { status: 'error', reason: err instanceof Error ? err.message : String(err) });
      else res.destroy();
    });
  });
  // Probes are short requests; a client that never finishes its headers must not hold a socket for long.
  server.headersTimeout = 5_000;
  server.requestTimeout = 10_000;
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      lag.stop();
      reject(
        new HealthServerError(
          `health server cannot listen on ${options.host}:${options.port}: ${err.code ?? err.message}`,
          { cause: err },
        ),
      );
    };
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | null = null;
  return {
    host: address.address,
    port: address.port,
    url: `http://${urlHost}:${address.port}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        lag.stop();
        server.close(() => resolve());
        // Prometheus and probes keep connections alive; they must not hold up shutdown.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function send(
  res: ServerResponse,
  status: number,
  body: { status: string; reason: string },
  head = false,
): void {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(head ? undefined : text);
}

/**
 * The worst event loop delay over the current and the previous window: a probe every 30 s still sees a stall that
 * happened just before it, and one old stall does not keep the process unhealthy for ever.
 */
function createLagMonitor(windowMs: number): { worstMs(): number; stop(): void } {
  const resolutionMs = 20;
  const histogram = monitorEventLoopDelay({ resolution: resolutionMs });
  histogram.enable();
  let previousMaxNs = 0;
  const timer = setInterval(() => {
    previousMaxNs = histogram.max;
    histogram.reset();
  }, windowMs);
  timer.unref();
  return {
    // The histogram measures from one sample to the next, so an idle loop reads as the resolution itself.
    worstMs: () => Math.max(0, Math.max(previousMaxNs, histogram.max) / 1e6 - resolutionMs),
    stop() {
      clearInterval(timer);
      histogram.disable();
    },
  };
}

/**
 * The longest gap between two consecutive runs of a node-cron expression (over the next few runs), so readiness can
 * say how old a tick may be: one minute for the default `* * * * *`, a week for `0 9 * * 1`.
 */
export function tickPeriodMs(schedule: string, runs = 16): number {
  const task = cron.createTask(schedule, () => undefined);
  try {
    const times = task.getNextRuns(runs).map((date) => date.getTime());
    let longest = 0;
    for (let i = 1; i < times.length; i++) longest = Math.max(longest, (times[i] ?? 0) - (times[i - 1] ?? 0));
    return longest;
  } finally {
    void task.destroy();
  }
}
