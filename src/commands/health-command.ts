import { get } from 'node:http';
import { ConfigError, loadConfig } from '../config/index.js';
import { EXIT_FAILURE, EXIT_OK, type CliIo } from './cli-io.js';

export interface HealthOptions {
  /** Base URL of the health server (http://host:port) or a full endpoint URL; default from the config. */
  url?: string;
  config?: string;
  /** Ask /readyz instead of /healthz. */
  ready?: boolean;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 5_000;
const MAX_BODY_BYTES = 4_096;

/**
 * `wirewatch health`: asks the running bot's /healthz (or /readyz) and exits 0 when it answers 200, 1 otherwise,
 * with one line saying why. It is the container's HEALTHCHECK (the slim image has no curl). Docker reserves exit
 * code 2, so every failure, a bad config included, exits 1.
 */
export async function healthCommand(opts: HealthOptions, io: CliIo): Promise<number> {
  const path = opts.ready ? '/readyz' : '/healthz';
  const target = opts.url !== undefined ? fromUrl(opts.url, path) : fromConfig(opts.config, path, io);
  if (!target.ok) {
    io.stderr(`unhealthy: ${target.reason}\n`);
    return EXIT_FAILURE;
  }
  const answer = await ask(target.url, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  if (answer.status === 200) {
    io.stdout(`${opts.ready ? 'ready' : 'healthy'}: ${answer.reason}\n`);
    return EXIT_OK;
  }
  const status = answer.status === null ? '' : `HTTP ${answer.status}: `;
  io.stderr(`${opts.ready ? 'not ready' : 'unhealthy'}: ${status}${answer.reason}\n`);
  return EXIT_FAILURE;
}

type Target = { ok: true; url: URL } | { ok: false; reason: string };

function fromUrl(text: string, path: string): Target {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: `--url is not a URL: ${JSON.stringify(text)}` };
  }
  if (url.protocol !== 'http:')
    return { ok: false, reason: `--url must be an http:// URL, got ${url.protocol}` };
  if (url.pathname === '/' || url.pathname === '') url.pathname = path;
  return { ok: true, url };
}

function fromConfig(configPath: string | undefined, path: string, io: CliIo): Target {
  let health;
  try {
    health = loadConfig({ path: configPath, env: io.env, cwd: io.cwd }).config.health;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return { ok: false, reason: `config: ${err.message.split('\n')[0] ?? err.code}` };
  }
  if (health.port === 0) return { ok: false, reason: 'the health server is off (health.port is 0)' };
  // A server bound to every address is reached on loopback from inside the same host or container.
  const host = health.host === '0.0.0.0' ? '127.0.0.1' : health.host === '::' ? '::1' : health.host;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return { ok: true, url: new URL(`http://${urlHost}:${health.port}${path}`) };
}

function ask(url: URL, timeoutMs: number): Promise<{ status: number | null; reason: string }> {
  return new Promise((resolve) => {
    const req = get(
      url,
      { agent: false, timeout: timeoutMs, headers: { accept: 'application/json' } },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < MAX_BODY_BYTES) chunks.push(chunk);
          size += chunk.length;
        });
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8').slice(0, MAX_BODY_BYTES);
          resolve({ status: res.statusCode ?? null, reason: reasonOf(body) });
        });
        res.on('error', (err) => resolve({ status: res.statusCode ?? null, reason: err.message }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url.href} within ${timeoutMs} ms`)));
    req.on('error', (err: NodeJS.ErrnoException) => {
      const why = err.code && !err.message.includes(err.code) ? `${err.code} ${err.message}` : err.message;
      resolve({ status: null, reason: `cannot reach ${url.href}: ${why}` });
    });
  });
}

function reasonOf(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (
      parsed !== null &&
      typeof parsed === 'object' &&
      'reason' in parsed &&
      typeof parsed.reason === 'string'
    ) {
      return parsed.reason;
    }
  } catch {
    // Not our server, or not JSON: show what it said.
  }
  const line = body.trim().split('\n')[0] ?? '';
  return line === '' ? '(empty body)' : line.slice(0, 200);
}
