import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { BUNDLED_CONFIG_PATH, ConfigError, loadConfig } from '../../src/config/index.js';

const fixtures = fileURLToPath(new URL('../fixtures/config/', import.meta.url));
const packageRoot = fileURLToPath(new URL('../../', import.meta.url));
const fixture = (name: string) => join(fixtures, name);

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wirewatch-config-'));
  tempDirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the default configuration', () => {
  it('is the file shipped in config/ and validates', () => {
    expect(BUNDLED_CONFIG_PATH).toBe(join(packageRoot, 'config', 'wirewatch.yaml'));
    const { config, embedded, path } = loadConfig({ env: {}, cwd: packageRoot });
    expect(embedded).toBe(false);
    expect(path).toBe(BUNDLED_CONFIG_PATH);
    expect(config.feeds.length).toBeGreaterThanOrEqual(4);
    expect(config.feeds.length).toBeLessThanOrEqual(6);
    for (const feed of config.feeds) expect(new URL(feed.url).protocol).toBe('https:');
    expect(config.watches.map((watch) => watch.name)).toEqual(
      expect.arrayContaining(['nato', 'korea', 'arms-policy', 'ukraine-support']),
    );
    expect(config.destinations).toEqual([{ name: 'console', type: 'console' }]);
    expect(config.discord).toMatchObject({ token: null, enabled: false, apiBase: null });
    expect(config.dataDir).toBe(join(packageRoot, 'data'));
    expect(config.databasePath).toBe(join(packageRoot, 'data', 'wirewatch.db'));
  });

  it('resolves to plain numbers in seconds and bytes', () => {
    const { config } = loadConfig({ env: {}, cwd: packageRoot });
    expect(config.poll).toEqual({
      schedule: '* * * * *',
      concurrency: 8,
      defaultIntervalSec: 300,
      jitter: 0.1,
      minIntervalSec: 60,
      maxIntervalSec: 3600,
      failureThreshold: 10,
    });
    expect(config.fetch).toEqual({
      timeoutSec: 20,
      maxBodyBytes: 10 * 1024 * 1024,
      maxRedirects: 5,
      maxPerHost: 2,
      allowPrivateNetworks: false,
      allowedHosts: [],
      trustConfigFeeds: false,
    });
    expect(config.health).toEqual({ port: 9464, host: '127.0.0.1' });
    expect(config.discord.limits).toEqual({ feedsPerServer: 100, watchesPerServer: 200 });
    expect(config.discord.digestThreshold).toBe(5);
  });

  it('is used, embedded, when no path is given and the working directory has no config/wirewatch.yaml', () => {
    const cwd = tempDir();
    const loaded = loadConfig({ env: {}, cwd });
    const shipped = loadConfig({ env: {}, cwd: packageRoot });
    expect(loaded.embedded).toBe(true);
    expect(loaded.path).toBe(BUNDLED_CONFIG_PATH);
    expect(loaded.config.feeds).toEqual(shipped.config.feeds);
    expect(loaded.config.watches).toEqual(shipped.config.watches);
    expect(loaded.config.dataDir).toBe(join(cwd, 'data'));
  });

  it('prefers <cwd>/config/wirewatch.yaml over the embedded one', () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, 'config'));
    writeFileSync(join(cwd, 'config', 'wirewatch.yaml'), readFileSync(fixture('minimal.yaml')));
    const loaded = loadConfig({ env: {}, cwd });
    expect(loaded.embedded).toBe(false);
    expect(loaded.path).toBe(join(cwd, 'config', 'wirewatch.yaml'));
    expect(loaded.config.feeds.map((feed) => feed.name)).toEqual(['wire']);
  });
});

describe('choosing the file', () => {
  it('reads an explicit path relative to cwd, before WIREWATCH_CONFIG', () => {
    const loaded = loadConfig({
      path: 'minimal.yaml',
      env: { WIREWATCH_CONFIG: fixture('valid-full.yaml') },
      cwd: fixtures,
    });
    expect(loaded.path).toBe(fixture('minimal.yaml'));
  });

  it('reads WIREWATCH_CONFIG when no path is given', () => {
    const loaded = loadConfig({ env: { WIREWATCH_CONFIG: 'minimal.yaml' }, cwd: fixtures });
    expect(loaded.path).toBe(fixture('minimal.yaml'));
    expect(loaded.embedded).toBe(false);
  });

  it('fails with config-not-found for a missing explicit file instead of falling back', () => {
    const cwd = tempDir();
    const attempt = () => loadConfig({ path: 'nope.yaml', env: {}, cwd });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(expect.objectContaining({ code: 'config-not-found', name: 'ConfigError' }));
    expect(attempt).toThrow(join(cwd, 'nope.yaml'));
    const viaEnv = () => loadConfig({ env: { WIREWATCH_CONFIG: join(cwd, 'gone.yaml') }, cwd });
    expect(viaEnv).toThrow(/from WIREWATCH_CONFIG/);
  });
});

describe('a full file', () => {
  const env = {
    WW_TEST_TOKEN: 'token-abc.def.ghi',
    WW_TEST_WEBHOOK: 'https://discord.com/api/webhooks/1234/hook-secret',
  };

  it('resolves every section, units and implicit lists', () => {
    const { config } = loadConfig({ path: fixture('valid-full.yaml'), env, cwd: fixtures });
    expect(config.dataDir).toBe('/var/lib/wirewatch-test');
    expect(config.logLevel).toBe('debug');
    expect(config.poll).toMatchObject({
      schedule: '*/30 * * * * *',
      defaultIntervalSec: 90,
      minIntervalSec: 30,
      maxIntervalSec: 7200,
    });
    expect(config.fetch).toMatchObject({ timeoutSec: 90, maxBodyBytes: 512 * 1024, trustConfigFeeds: true });
    expect(config.fetch.allowedHosts).toHaveLength(4);
    expect(config.discord).toEqual({
      token: 'token-abc.def.ghi',
      apiBase: 'http://127.0.0.1:8080/api',
      enabled: true,
      limits: { feedsPerServer: 10, watchesPerServer: 20 },
      digestThreshold: 3,
    });
    expect(config.health).toEqual({ port: 0, host: '0.0.0.0' });
    expect(config.destinations).toEqual([
      { name: 'newsroom', type: 'discord-webhook', url: env.WW_TEST_WEBHOOK, urlSource: 'env' },
      { name: 'stdout', type: 'console' },
    ]);
    expect(config.feeds).toEqual([
      { name: 'wire', url: 'https://news.example.org/wire.xml', intervalSec: 120, intervalExplicit: true },
      { name: 'local', url: 'http://127.0.0.1:8080/feed.xml', intervalSec: 90, intervalExplicit: false },
    ]);
    expect(config.watches).toEqual([
      { name: 'nato', query: 'NATO', feeds: ['wire'], destinations: ['newsroom'] },
      {
        name: 'korea',
        query: 'Korea* OR Seoul',
        feeds: ['wire', 'local'],
        destinations: ['newsroom', 'stdout'],
      },
    ]);
  });

  it('treats sections left empty (null) as defaults', () => {
    const { config } = loadConfig({ path: fixture('empty-sections.yaml'), env: {}, cwd: fixtures });
    expect(config.poll.schedule).toBe('* * * * *');
    expect(config.fetch.timeoutSec).toBe(20);
    expect(config.discord.enabled).toBe(false);
  });
});

describe('environment', () => {
  it('overrides data dir, log level, token, API base and private networks', () => {
    const { config, envOverrides } = loadConfig({
      path: fixture('minimal.yaml'),
      env: {
        WIREWATCH_DATA_DIR: 'state',
        LOG_LEVEL: 'warn',
        DISCORD_TOKEN: 'env-token-value',
        DISCORD_API_BASE: 'http://127.0.0.1:9999/api',
        WIREWATCH_ALLOW_PRIVATE_NETWORKS: '1',
      },
      cwd: '/srv/app',
    });
    expect(config.dataDir).toBe('/srv/app/state');
    expect(config.logLevel).toBe('warn');
    expect(config.discord).toMatchObject({
      token: 'env-token-value',
      enabled: true,
      apiBase: 'http://127.0.0.1:9999/api',
    });
    expect(config.fetch.allowPrivateNetworks).toBe(true);
    expect(envOverrides).toEqual([
      'WIREWATCH_DATA_DIR',
      'LOG_LEVEL',
      'DISCORD_TOKEN',
      'DISCORD_API_BASE',
      'WIREWATCH_ALLOW_PRIVATE_NETWORKS',
    ]);
  });

  it('sets the health server host and port, and reports a port that is not a number', () => {
    const { config, envOverrides } = loadConfig({
      path: fixture('minimal.yaml'),
      env: { WIREWATCH_HEALTH_HOST: '0.0.0.0', WIREWATCH_HEALTH_PORT: '9100' },
      cwd: '/srv/app',
    });
    expect(config.health).toEqual({ host: '0.0.0.0', port: 9100 });
    expect(envOverrides).toEqual(['WIREWATCH_HEALTH_HOST', 'WIREWATCH_HEALTH_PORT']);
    expect(() =>
      loadConfig({
        path: fixture('minimal.yaml'),
        env: { WIREWATCH_HEALTH_PORT: 'ninety' },
        cwd: '/srv/app',
      }),
    ).toThrow(/health\.port: .*\(from env WIREWATCH_HEALTH_PORT\)/);
  });

  it('wins over values written in the file', () => {
    const { config } = loadConfig({
      path: fixture('valid-full.yaml'),
      env: {
        WW_TEST_TOKEN: 'file-token',
        WW_TEST_WEBHOOK: 'https://discord.com/api/webhooks/1/x',
        DISCORD_TOKEN: 'env-token',
        LOG_LEVEL: 'error',
      },
      cwd: fixtures,
    });
    expect(config.discord.token).toBe('env-token');
    expect(config.logLevel).toBe('error');
  });

  it('treats empty variables as unset', () => {
    const { config } = loadConfig({
      path: fixture('minimal.yaml'),
      env: { DISCORD_TOKEN: '', LOG_LEVEL: '' },
      cwd: fixtures,
    });
    expect(config.discord.enabled).toBe(false);
    expect(config.logLevel).toBe('info');
  });

  it('adds a webhook destination named "webhook" from DISCORD_WEBHOOK_URL instead of the console default', () => {
    const url = 'https://discord.com/api/webhooks/42/env-hook-token';
    const { config } = loadConfig({
      path: fixture('minimal.yaml'),
      env: { DISCORD_WEBHOOK_URL: url },
      cwd: fixtures,
    });
    expect(config.destinations).toEqual([
      { name: 'webhook', type: 'discord-webhook', url, urlSource: 'env' },
    ]);
    expect(config.watches[0]?.destinations).toEqual(['webhook']);
  });

  it('does not add the env webhook when the file declares its own webhook destination', () => {
    const { config } = loadConfig({
      path: fixture('valid-full.yaml'),
      env: {
        WW_TEST_TOKEN: 't0ken',
        WW_TEST_WEBHOOK: 'https://discord.com/api/webhooks/1/file',
        DISCORD_WEBHOOK_URL: 'https://discord.com/api/webhooks/2/env',
      },
      cwd: fixtures,
    });
    expect(config.destinations.map((destination) => destination.name)).toEqual(['newsroom', 'stdout']);
  });

  it('marks a webhook URL written literally in the file as coming from the file', () => {
    const cwd = tempDir();
    const file = join(cwd, 'literal.yaml');
    writeFileSync(
      file,
      'destinations:\n  - name: hook\n    type: discord-webhook\n    url: http://127.0.0.1:4000/api/webhooks/1/tok\n',
    );
    const { config } = loadConfig({ path: file, env: {}, cwd });
    expect(config.destinations).toEqual([
      {
        name: 'hook',
        type: 'discord-webhook',
        url: 'http://127.0.0.1:4000/api/webhooks/1/tok',
        urlSource: 'file',
      },
    ]);
  });

  it('substitutes ${VAR} and ${VAR:-fallback} in values, and $${ stays literal', () => {
    const cwd = tempDir();
    const file = join(cwd, 'vars.yaml');
    writeFileSync(
      file,
      [
        'dataDir: ${WW_DIR}/db',
        'feeds:',
        '  - name: "$${not-a-var}"',
        '    url: ${WW_BASE:-https://fallback.example.org}/feed.xml',
        '  - name: second',
        '    url: https://${WW_HOST}/x.xml',
      ].join('\n'),
    );
    const { config } = loadConfig({
      path: file,
      env: { WW_DIR: '/opt/ww', WW_HOST: 'host.example.org' },
      cwd,
    });
    expect(config.dataDir).toBe('/opt/ww/db');
    expect(config.feeds.map((feed) => [feed.name, feed.url])).toEqual([
      ['${not-a-var}', 'https://fallback.example.org/feed.xml'],
      ['second', 'https://host.example.org/x.xml'],
    ]);
  });
});
