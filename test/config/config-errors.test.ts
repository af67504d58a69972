import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import { compileQuery } from '../../src/core/query/index.js';

const fixtures = fileURLToPath(new URL('../fixtures/config/', import.meta.url));

function errorFor(path: string, env: Record<string, string> = {}): ConfigError {
  try {
    loadConfig({ path, env, cwd: fixtures });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`expected ${path} to be invalid`);
}

const tempDirs: string[] = [];
afterEach(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function errorForYaml(yaml: string, env: Record<string, string> = {}): ConfigError {
  const dir = mkdtempSync(join(tmpdir(), 'wirewatch-config-'));
  tempDirs.push(dir);
  writeFileSync(join(dir, 'wirewatch.yaml'), yaml);
  return errorFor(join(dir, 'wirewatch.yaml'), env);
}

function querySyntaxMessage(query: string): string {
  try {
    compileQuery(query);
  } catch (error) {
    if (error instanceof Error) return error.message;
  }
  throw new Error(`expected ${query} to be a syntax error`);
}

describe('one error listing every problem', () => {
  const error = errorFor('many-problems.yaml');
  const lines = error.message.split('\n');

  it('is a ConfigError with a stable code and one line per problem', () => {
    expect(error.name).toBe('ConfigError');
    expect(error.code).toBe('config-invalid');
    expect(lines[0]).toBe(
      `Invalid configuration in ${join(fixtures, 'many-problems.yaml')} (${error.problems.length} problems):`,
    );
    expect(lines).toHaveLength(error.problems.length + 1);
    expect(error.problems).toHaveLength(17);
  });

  it.each([
    ['logLevel', 'expected one of fatal, error, warn, info, debug, trace, silent, got "verbose"'],
    [
      'poll.schedule',
      'not a valid cron expression ("* * *": expected 5 or 6 fields but got 3); expected 5 or 6 fields like "* * * * *"',
    ],
    [
      'poll.intervall',
      'unknown key; expected one of schedule, concurrency, defaultInterval, jitter, minInterval, maxInterval, failureThreshold',
    ],
    ['poll.concurrency', 'expected a whole number from 1 to 1000, got 0'],
    ['poll.minInterval', 'must not be longer than poll.maxInterval (2h > 1h)'],
    ['fetch.timeout', 'expected seconds as a number or a duration like "90s", "5m", "1h", got "soon"'],
    ['fetch.maxBodySize', 'expected bytes as a number or a size like "512KiB", "10MiB", got "10 parsecs"'],
    [
      'fetch.allowedHosts[0]',
      'expected a host name, IP address or CIDR block like 10.0.0.0/8, got "10.0.0.0/99"',
    ],
    ['health.port', 'expected a whole number from 0 to 65535, got 70000'],
    ['destinations[0].type', 'expected type console or discord-webhook, got "pigeon"'],
    ['feeds[0].url', 'expected an http(s) URL'],
    ['feeds[1].name', 'duplicate name; feeds[0] already has it, expected each to be unique'],
    ['feeds[1].interval', 'expected seconds as a number or a duration like "90s", "5m", "1h", got -5'],
    ['watches[0].feeds[1]', 'unknown feed "missing-feed"; expected one of wire'],
    ['watches[1].destinations[0]', 'unknown destination "nowhere"; expected one of out'],
    ['watches[3].name', 'missing; expected a name (text)'],
  ])('reports %s', (path, message) => {
    expect(lines.some((line) => line.startsWith(`  - ${path}: ${message}`))).toBe(true);
  });

  it('reports a watch query syntax error with the query parser’s message', () => {
    const expected = querySyntaxMessage('(NATO OR Korea');
    expect(lines.some((line) => line.startsWith(`  - watches[2].query: ${expected}`))).toBe(true);
  });

  it('orders problems by their line in the file and says which line', () => {
    const numbers = error.problems.map((problem) => problem.line ?? Number.POSITIVE_INFINITY);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(lines.find((line) => line.includes('poll.schedule'))).toMatch(/\(line 3\)$/);
    expect(lines.find((line) => line.includes('watches[2].query'))).toMatch(/\(line 31\)$/);
  });
});

describe('each kind of problem', () => {
  it('suggests the closest key for a misspelt one', () => {
    const error = errorForYaml('poll:\n  shedule: "* * * * *"\nfetch:\n  maxBodySise: 1MiB\nhealthh: {}\n');
    expect(error.message).toContain('poll.shedule: unknown key; did you mean "schedule"?');
    expect(error.message).toContain('fetch.maxBodySise: unknown key; did you mean "maxBodySize"?');
    expect(error.message).toContain('healthh: unknown key; did you mean "health"?');
  });

  it('reports YAML syntax errors with line and column, as config-yaml', () => {
    const error = errorFor('syntax-error.yaml');
    expect(error.code).toBe('config-yaml');
    expect(error.problems.length).toBeGreaterThan(0);
    expect(error.message).toMatch(/^Invalid YAML syntax in .*syntax-error\.yaml/);
    expect(error.message).toMatch(/ {2}- line \d+, column \d+: \S/);
  });

  it('reports duplicate keys as a YAML error', () => {
    const error = errorFor('duplicate-key.yaml');
    expect(error.code).toBe('config-yaml');
    expect(error.message).toMatch(/line 2, column 1: .*unique/i);
  });

  it('reports a document that is not a mapping', () => {
    expect(errorFor('not-a-mapping.yaml').message).toContain('(top level): expected a mapping');
  });

  it('reports every ${VAR} naming an unset variable, with its path, and accepts a fallback', () => {
    const error = errorFor('unset-variable.yaml');
    expect(error.message).toContain('discord.token: environment variable WW_TEST_UNSET_TOKEN is not set');
    expect(error.message).toContain(
      'destinations[0].url: environment variable WW_TEST_UNSET_WEBHOOK is not set',
    );
    expect(error.message).not.toContain('feeds[0]');
  });

  it('reports malformed ${...} references', () => {
    expect(errorForYaml('dataDir: ${not valid}\n').message).toContain(
      'dataDir: malformed reference ${not valid}',
    );
  });

  it('says which environment variable supplied a bad value', () => {
    const error = errorFor('minimal.yaml', {
      LOG_LEVEL: 'loud',
      WIREWATCH_ALLOW_PRIVATE_NETWORKS: 'maybe',
      DISCORD_API_BASE: 'not a url',
    });
    expect(error.message).toContain(
      'logLevel: expected one of fatal, error, warn, info, debug, trace, silent, got "loud" (from env LOG_LEVEL)',
    );
    expect(error.message).toContain('fetch.allowPrivateNetworks: expected 1 or 0');
    expect(error.message).toContain('discord.apiBase: expected an http(s) URL (from env DISCORD_API_BASE)');
  });

  it('reports wrong types in words', () => {
    const error = errorForYaml(
      'poll: 5\nfeeds:\n  name: wire\nwatches:\n  - name: w\n    query: NATO\n    feeds: []\n',
    );
    expect(error.message).toContain('poll: expected a mapping, got 5');
    expect(error.message).toContain('feeds: expected a list of feeds, got a mapping');
    expect(error.message).toContain('watches[0].feeds: expected at least one feed name');
    expect(errorForYaml('health: { port: 80.5 }\n').message).toContain(
      'health.port: expected a whole number from 0 to 65535, got 80.5',
    );
    expect(errorForYaml('destinations:\n  - name: x\n').message).toContain(
      'destinations[0].type: missing; expected type console or discord-webhook',
    );
  });

  it('reports duplicate watch names and duplicate feed URLs', () => {
    const error = errorForYaml(
      'feeds:\n  - { name: a, url: "https://x.example.org/f" }\n  - { name: b, url: "https://x.example.org/f" }\n' +
        'watches:\n  - { name: w, query: NATO }\n  - { name: w, query: Korea }\n',
    );
    expect(error.message).toContain('feeds[1].url: duplicate URL; feeds[0] already has it');
    expect(error.message).toContain('watches[1].name: duplicate name; watches[0] already has it');
  });

  it('refuses feed URLs with credentials and non-http schemes', () => {
    const error = errorForYaml(
      'feeds:\n  - { name: a, url: "https://user:pw@x.example.org/f" }\n  - { name: b, url: "file:///etc/passwd" }\n',
    );
    expect(error.message).toContain('feeds[0].url: expected an http(s) URL without user name or password');
    expect(error.message).toContain('feeds[1].url: expected an http(s) URL');
  });
});

describe('secrets in errors', () => {
  it('never echoes a webhook URL, even an invalid one', () => {
    const error = errorFor('bad-webhook.yaml');
    expect(error.message).toContain(
      'destinations[0].url: expected a Discord webhook URL like https://discord.com/api/webhooks/<id>/<token>',
    );
    expect(error.message).toContain('destinations[1].url: expected a Discord webhook URL');
    expect(error.message).not.toContain('SuperSecretWebhookToken42');
    expect(error.message).not.toContain('AnotherSecretToken99');
  });

  it('never echoes the token or a substituted value, wherever it lands', () => {
    const token = 'MTIzNDU2Nzg5.secret-token-value';
    const error = errorForYaml('logLevel: ${WW_LEAK}\ndiscord:\n  token: 42\n', {
      DISCORD_WEBHOOK_URL: 'https://example.com/not-a-hook/zzz-secret',
      WW_LEAK: token,
    });
    expect(error.message).toContain(
      'logLevel: expected one of fatal, error, warn, info, debug, trace, silent, got "[hidden]"',
    );
    expect(error.message).toContain('discord.token: expected the bot token as text');
    expect(error.message).toContain('destinations[0].url: expected a Discord webhook URL');
    expect(error.message).toContain('(from env DISCORD_WEBHOOK_URL)');
    expect(error.message).not.toContain('zzz-secret');
    expect(error.message).not.toContain(token);
  });
});
