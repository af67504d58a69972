import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/adapters/sqlite/sqlite-store.js';
import { runCliCaptured } from '../support/run-cli.js';

describe('wirewatch run: a database it cannot open is explained, not a stack trace', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wirewatch-run-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const config = (dataDir: string) => {
    const path = join(dir, 'wirewatch.yaml');
    writeFileSync(path, `dataDir: ${dataDir}\nlogLevel: silent\nhealth: { port: 0 }\n`);
    return path;
  };

  it('names the file and what to check when the data directory cannot be created', async () => {
    const notADir = join(dir, 'plain-file');
    writeFileSync(notADir, 'not a directory');
    const run = await runCliCaptured(['run', '-c', config(join(notADir, 'data'))]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`cannot open the database ${join(notADir, 'data', 'wirewatch.db')}`);
    expect(run.stderr).toContain('WIREWATCH_DATA_DIR');
    expect(run.stderr).not.toContain('    at ');
  });

  it('refuses a database from a newer wirewatch with the versions and what to do', async () => {
    const data = join(dir, 'data');
    const store = openStore(join(data, 'wirewatch.db'));
    store.db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (999, 0)').run();
    store.close();
    const run = await runCliCaptured(['run', '-c', config(data)]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/schema version 999, but this build of wirewatch supports up to version \d+/);
    expect(run.stderr).toContain('upgrade wirewatch or use another data directory');
  });
});
