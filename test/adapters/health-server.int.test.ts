import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startHealthServer, tickPeriodMs, type HealthServer } from '../../src/adapters/health-server.js';
import { createMetrics, type Metrics } from '../../src/adapters/metrics.js';
import type { CliIo } from '../../src/commands/cli-io.js';
import { healthCommand, type HealthOptions } from '../../src/commands/health-command.js';

const servers: HealthServer[] = [];
const tempDirs: string[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface Setup {
  metrics?: Metrics;
  databaseOpen?: () => boolean;
  discordReady?: () => boolean;
  maxTickAgeMs?: number;
  now?: () => Date;
  maxEventLoopLagMs?: number;
}

async function start(setup: Setup = {}) {
  const metrics = setup.metrics ?? createMetrics({ defaultMetrics: false });
  const server = await startHealthServer({
    host: '127.0.0.1',
    port: 0,
    metrics,
    readiness: {
      databaseOpen: setup.databaseOpen ?? (() => true),
      lastTickAt: metrics.lastTickAt,
      maxTickAgeMs: setup.maxTickAgeMs ?? 180_000,
      discordReady: setup.discordReady,
    },
    maxEventLoopLagMs: setup.maxEventLoopLagMs,
    now: setup.now,
  });
  servers.push(server);
  return { server, metrics };
}

async function get(url: string, init?: RequestInit) {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', text };
}

const tick = (metrics: Metrics, at = new Date()) =>
  metrics.events.tickFinished?.({ feeds: 2, errors: 0, durationMs: 120, at, outboxDepth: 1 });

async function runHealth(opts: HealthOptions, env: Record<string, string> = {}, cwd = tmpdir()) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env, cwd };
  const code = await healthCommand(opts, io);
  return { code, stdout, stderr };
}

describe('health server', () => {
  it('listens on loopback and answers /healthz with 200', async () => {
    const { server } = await start();
    expect(server.host).toBe('127.0.0.1');
    expect(server.port).toBeGreaterThan(0);
    const res = await get(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(res.type).toContain('application/json');
    expect(JSON.parse(res.text)).toMatchObject({ status: 'ok' });
  });

  it('fails /healthz while the event loop has recently been stalled', async () => {
    const { server } = await start({ maxEventLoopLagMs: 100 });
    expect((await get(`${server.url}/healthz`)).status).toBe(200);
    // The delay monitor measures from its previous sample, so it needs one sample before the stall.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const until = Date.now() + 400;
    while (Date.now() < until) {
      // Block the event loop, as a runaway synchronous task would.
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    const res = await get(`${server.url}/healthz`);
    expect(res.status).toBe(503);
    expect(JSON.parse(res.text).reason).toMatch(/^event loop stalled: \d+ ms delay \(limit 100 ms\)$/);
  });

  it('is not ready before the first poll tick, and ready after it', async () => {
    const { server, metrics } = await start();
    const before = await get(`${server.url}/readyz`);
    expect(before.status).toBe(503);
    expect(JSON.parse(before.text)).toEqual({ status: 'not ready', reason: 'no poll tick has finished yet' });

    tick(metrics);
    const after = await get(`${server.url}/readyz`);
    expect(after.status).toBe(200);
    expect(JSON.parse(after.text).status).toBe('ready');
  });

  it('is not ready when the last tick is too old or the database is closed', async () => {
    let now = new Date('2025-03-01T12:00:00Z');
    let open = true;
    const { server, metrics } = await start({
      now: () => now,
      maxTickAgeMs: 180_000,
      databaseOpen: () => open,
    });
    tick(metrics, new Date('2025-03-01T11:58:00Z'));
    expect((await get(`${server.url}/readyz`)).status).toBe(200);

    now = new Date('2025-03-01T12:02:00Z');
    const stale = await get(`${server.url}/readyz`);
    expect(stale.status).toBe(503);
    expect(JSON.parse(stale.text).reason).toBe('last poll tick finished 240 s ago (limit 180 s)');

    tick(metrics, now);
    open = false;
    const closed = await get(`${server.url}/readyz`);
    expect(closed.status).toBe(503);
    expect(JSON.parse(closed.text).reason).toBe('database is not open');
  });

  it('is not ready while the Discord gateway is down, when a token is set', async () => {
    let connected = false;
    const { server, metrics } = await start({ discordReady: () => connected });
    tick(metrics);
    const down = await get(`${server.url}/readyz`);
    expect(down.status).toBe(503);
    expect(JSON.parse(down.text).reason).toBe('Discord gateway is not connected');

    connected = true;
    expect((await get(`${server.url}/readyz`)).status).toBe(200);
  });

  it('serves Prometheus metrics that follow the pipeline events', async () => {
    const metrics = createMetrics();
    const { server } = await start({ metrics });
    const at = new Date();
    const feed = {
      id: 42,
      url: 'https://news.example.org/feed.xml',
      title: null,
      intervalSec: 300,
      etag: null,
      lastModified: null,
      lastSuccessAt: null,
      lastErrorAt: null,
      lastErrorCode: null,
      lastErrorMessage: null,
      consecutiveFailures: 0,
      nextPollAt: at,
      primedAt: at,
      enabled: true,
      createdAt: at,
      movedToUrl: null,
      movedCount: 0,
    };
    metrics.events.feedPolled?.({
      feed,
      status: 'ok',
      code: null,
      newItems: 3,
      alerts: 1,
      durationMs: 250,
      at,
    });
    metrics.events.feedPolled?.({
      feed,
      status: 'error',
      code: 'http-5xx',
      newItems: 0,
      alerts: 0,
      durationMs: 90,
      at,
    });
    tick(metrics, at);
    metrics.events.alertAttempted?.({
      destination: {
        id: 1,
        scope: 'config',
        name: 'c',
        kind: 'console',
        target: '',
        enabled: true,
        disabledReason: null,
      },
      outcome: 'delivered',
      publishedAt: new Date(at.getTime() - 90_000),
      at,
    });

    const res = await get(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.type).toContain('text/plain');
    const lines = res.text.split('\n');
    expect(lines).toContain('wirewatch_feed_polls_total{result="ok"} 1');
    expect(lines).toContain('wirewatch_feed_polls_total{result="http-5xx"} 1');
    expect(lines).toContain('wirewatch_new_items_total 3');
    expect(lines).toContain('wirewatch_poll_ticks_total 1');
    expect(lines).toContain('wirewatch_outbox_depth 1');
    expect(lines).toContain(
      `wirewatch_feed_last_success_timestamp_seconds{feed_id="42"} ${at.getTime() / 1000}`,
    );
    expect(lines).toContain(
      'wirewatch_alert_deliveries_total{destination_kind="console",outcome="delivered"} 1',
    );
    expect(lines).toContain('wirewatch_alert_delivery_latency_seconds_sum{destination_kind="console"} 90');
    expect(lines).toContain('wirewatch_feed_poll_duration_seconds_count 2');
    expect(res.text).toContain('# TYPE process_cpu_user_seconds_total counter');
  });

  it('answers 404 for other paths and 405 for other methods', async () => {
    const { server } = await start();
    expect((await get(`${server.url}/`)).status).toBe(404);
    expect((await get(`${server.url}/metrics/extra`)).status).toBe(404);
    const post = await fetch(`${server.url}/healthz`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const head = await fetch(`${server.url}/healthz`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('reports a port already in use as a HealthServerError', async () => {
    const { server } = await start();
    await expect(
      startHealthServer({
        host: '127.0.0.1',
        port: server.port,
        metrics: createMetrics({ defaultMetrics: false }),
        readiness: { databaseOpen: () => true, lastTickAt: () => null, maxTickAgeMs: 1 },
      }),
    ).rejects.toMatchObject({
      name: 'HealthServerError',
      code: 'health-listen-failed',
      message: expect.stringContaining('EADDRINUSE'),
    });
  });

  it('closes promptly even with a keep-alive connection open', async () => {
    const { server } = await start();
    expect((await get(`${server.url}/healthz`, { keepalive: true })).status).toBe(200);
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });
});

describe('tickPeriodMs', () => {
  it('is the longest gap between runs of the cron expression', () => {
    expect(tickPeriodMs('* * * * *')).toBe(60_000);
    expect(tickPeriodMs('*/30 * * * * *')).toBe(30_000);
    expect(tickPeriodMs('0 9,17 * * *')).toBe(16 * 3600_000);
  });
});

describe('wirewatch health', () => {
  it('exits 0 with the reason when /healthz answers 200', async () => {
    const { server } = await start();
    const result = await runHealth({ url: server.url });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^healthy: alive, event loop delay \d+ ms\n$/);
  });

  it('asks /readyz with --ready and exits 1 when not ready', async () => {
    const { server, metrics } = await start();
    const notReady = await runHealth({ url: server.url, ready: true });
    expect(notReady).toEqual({
      code: 1,
      stdout: '',
      stderr: 'not ready: HTTP 503: no poll tick has finished yet\n',
    });
    tick(metrics);
    expect((await runHealth({ url: server.url, ready: true })).code).toBe(0);
  });

  it('exits 1 when nothing listens on the port', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));

    const result = await runHealth({ url: `http://127.0.0.1:${port}` });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `unhealthy: cannot reach http://127.0.0.1:${port}/healthz: connect ECONNREFUSED 127.0.0.1:${port}\n`,
    );
  });

  it('finds the server from the config file, and treats host 0.0.0.0 as loopback', async () => {
    const { server } = await start();
    const dir = mkdtempSync(join(tmpdir(), 'wirewatch-health-'));
    tempDirs.push(dir);
    const path = join(dir, 'wirewatch.yaml');
    writeFileSync(path, `health:\n  host: 0.0.0.0\n  port: ${server.port}\n`);
    const result = await runHealth({ config: path });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^healthy: /);

    const viaEnv = await runHealth({}, { WIREWATCH_CONFIG: path }, dir);
    expect(viaEnv.code).toBe(0);
  });

  it('exits 1 when the health server is turned off or the config is unusable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wirewatch-health-'));
    tempDirs.push(dir);
    const off = join(dir, 'off.yaml');
    writeFileSync(off, 'health:\n  port: 0\n');
    expect(await runHealth({ config: off })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'unhealthy: the health server is off (health.port is 0)\n',
    });

    const missing = await runHealth({ config: join(dir, 'missing.yaml') });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^unhealthy: config: /);
  });

  it('rejects a --url that is not http', async () => {
    const result = await runHealth({ url: 'ftp://127.0.0.1/healthz' });
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: 'unhealthy: --url must be an http:// URL, got ftp:\n',
    });
  });
});
