import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  configSecrets,
  describeDestination,
  describeSecret,
  loadConfig,
  redactConfig,
} from '../../src/config/index.js';

const fixtures = fileURLToPath(new URL('../fixtures/config/', import.meta.url));
const token = 'bot-token-for-redaction-test';
const webhook = 'https://discord.com/api/webhooks/987/redaction-test-hook';

describe('secret helpers', () => {
  const { config } = loadConfig({
    path: 'valid-full.yaml',
    env: { WW_TEST_TOKEN: token, WW_TEST_WEBHOOK: webhook },
    cwd: fixtures,
  });

  it('redactConfig hides the token and webhook URLs and keeps everything else', () => {
    const redacted = redactConfig(config);
    const text = JSON.stringify(redacted);
    expect(text).not.toContain(token);
    expect(text).not.toContain(webhook);
    expect(redacted.discord.token).toBe('[hidden]');
    expect(redacted.destinations[0]).toEqual({
      name: 'newsroom',
      type: 'discord-webhook',
      url: '[hidden]',
      urlSource: 'env',
    });
    expect(redacted.feeds).toEqual(config.feeds);
    expect(config.discord.token).toBe(token);
  });

  it('configSecrets lists exactly the token and webhook URLs', () => {
    expect(configSecrets(config).sort()).toEqual([token, webhook].sort());
  });

  it('describes destinations and secrets without their values', () => {
    expect(config.destinations.map(describeDestination)).toEqual([
      'discord-webhook (URL from env, hidden)',
      'console',
    ]);
    expect(describeDestination({ name: 'x', type: 'discord-webhook', url: webhook, urlSource: 'file' })).toBe(
      'discord-webhook (URL from file, hidden)',
    );
    expect(describeSecret(token)).toBe('set, hidden');
    expect(describeSecret(null)).toBe('not set');
  });
});
