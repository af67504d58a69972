import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/commands/cli-io.js';
import { checkConfigCommand } from '../../src/commands/check-config-command.js';
import { BUNDLED_CONFIG_PATH, loadConfig } from '../../src/config/index.js';

const fixtures = fileURLToPath(new URL('../fixtures/config/', import.meta.url));

async function run(path: string | undefined, env: Record<string, string> = {}, cwd = fixtures) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), env, cwd };
  const code = await checkConfigCommand(path, io);
  return { code, stdout, stderr };
}

const tempDirs: string[] = [];
afterEach(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('wirewatch check-config', () => {
  const token = 'MTIzNDU2Nzg5MDEy.abcdef.secret-bot-token';
  const webhook = 'https://discord.com/api/webhooks/123456789/very-secret-webhook-token';

  it('summarises a valid file and exits 0', async () => {
    const { code, stdout, stderr } = await run('valid-full.yaml', {
      WW_TEST_TOKEN: token,
      WW_TEST_WEBHOOK: webhook,
    });
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain(`Configuration OK: ${join(fixtures, 'valid-full.yaml')}`);
    expect(stdout).toContain(
      'Data dir: /var/lib/wirewatch-test (database /var/lib/wirewatch-test/wirewatch.db)',
    );
    expect(stdout).toContain('schedule "*/30 * * * * *"');
    expect(stdout).toMatch(/^ {2}wire +https:\/\/news\.example\.org\/wire\.xml +every 2m$/m);
    expect(stdout).toMatch(/^ {2}local +http:\/\/127\.0\.0\.1:8080\/feed\.xml +every 1m30s \(default\)$/m);
    expect(stdout).toContain('  nato: NATO\n    feeds: wire; destinations: newsroom\n');
    expect(stdout).toContain(
      '  korea: Korea* OR Seoul\n    feeds: all (wire, local); destinations: all (newsroom, stdout)\n',
    );
    expect(stdout).toMatch(/^ {2}newsroom +discord-webhook \(URL from env, hidden\)$/m);
    expect(stdout).toMatch(/^ {2}stdout +console$/m);
    expect(stdout).toContain('Discord bot: on (token set, hidden; API http://127.0.0.1:8080/api;');
    expect(stdout).toContain('Health: off');
    expect(stdout).not.toContain(token);
    expect(stdout).not.toContain(webhook);
    expect(stdout).not.toContain('very-secret-webhook-token');
  });

  it('reports the embedded defaults when no file is found, with Discord off and the console destination', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'wirewatch-check-'));
    tempDirs.push(cwd);
    const { code, stdout } = await run(undefined, {}, cwd);
    const { config } = loadConfig({ env: {}, cwd });
    expect(code).toBe(0);
    expect(stdout).toContain(`Configuration OK: embedded defaults (${BUNDLED_CONFIG_PATH})`);
    expect(stdout).toContain(`Data dir: ${join(cwd, 'data')}`);
    expect(stdout).toContain('Discord bot: off');
    expect(stdout).toContain('  console  console\n');
    expect(stdout).toContain(`Feeds (${config.feeds.length}):`);
    for (const feed of config.feeds)
      expect(stdout).toMatch(
        new RegExp(`^ {2}${feed.name} +${feed.url.replaceAll('.', '\\.')} +every `, 'm'),
      );
    for (const watch of config.watches) expect(stdout).toContain(`  ${watch.name}: ${watch.query}\n`);
  });

  it('names the env overrides it applied and hides a webhook given by DISCORD_WEBHOOK_URL', async () => {
    const { code, stdout } = await run('minimal.yaml', {
      DISCORD_WEBHOOK_URL: webhook,
      DISCORD_TOKEN: token,
    });
    expect(code).toBe(0);
    expect(stdout).toContain('Environment overrides: DISCORD_TOKEN, DISCORD_WEBHOOK_URL');
    expect(stdout).toContain('  webhook  discord-webhook (URL from env, hidden)\n');
    expect(stdout).not.toContain(webhook);
    expect(stdout).not.toContain(token);
  });

  it('prints the one error listing every problem to stderr and exits 2', async () => {
    const { code, stdout, stderr } = await run('many-problems.yaml');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^Invalid configuration in .*many-problems\.yaml \(17 problems\):\n/);
    expect(stderr).toContain('  - poll.schedule: not a valid cron expression');
    expect(stderr).toContain('  - watches[2].query: ');
    expect(stderr).toContain('  - feeds[0].url: expected an http(s) URL');
  });

  it('exits 2 for a missing file and for YAML syntax errors', async () => {
    const missing = await run('does-not-exist.yaml');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(
      `Configuration file not found: ${join(fixtures, 'does-not-exist.yaml')}`,
    );
    const syntax = await run('syntax-error.yaml');
    expect(syntax.code).toBe(2);
    expect(syntax.stderr).toMatch(/line \d+, column \d+/);
  });

  it('keeps secrets out of its error output', async () => {
    const { code, stderr } = await run('bad-webhook.yaml', { DISCORD_TOKEN: token, LOG_LEVEL: token });
    expect(code).toBe(2);
    expect(stderr).toContain('destinations[0].url: expected a Discord webhook URL');
    expect(stderr).toContain('logLevel: expected one of');
    expect(stderr).not.toContain('SuperSecretWebhookToken42');
    expect(stderr).not.toContain('AnotherSecretToken99');
    expect(stderr).not.toContain(token);
  });
});
