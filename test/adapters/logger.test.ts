import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/adapters/logger.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _e, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, stream };
}

describe('logger', () => {
  const token = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.secret-token-value';
  const webhook = 'https://discord.com/api/webhooks/1234567890/AbCdEfGhIjKlMnOp-qrstuv';

  it('never writes the token or a webhook URL, by key or inside messages and errors', () => {
    const { lines, stream } = capture();
    const log = createLogger({
      level: 'info',
      pretty: false,
      secrets: [token, webhook],
      destination: stream,
    });
    log.info({ token, config: { token } }, `logging in with ${token}`);
    log.warn({ err: new Error(`request to ${webhook} failed`) }, 'delivery failed');
    log.info({ url: 'https://discord.com/api/v10/webhooks/99999/unknown-token-xyz' }, 'other webhook');
    const out = lines.join('');
    expect(out).not.toContain('secret-token-value');
    expect(out).not.toContain('AbCdEfGhIjKlMnOp');
    expect(out).not.toContain('unknown-token-xyz');
    expect(out).toContain('[redacted]');
    expect(out).toContain('delivery failed');
    expect(lines).toHaveLength(3);
    expect(() => lines.map((l) => JSON.parse(l) as unknown)).not.toThrow();
  });
});
