import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../support/run-cli.js';

const seedTitle = 'NATO’s chief urges South Korea to step up military support for Ukraine';
const seedSummary = 'He asked Seoul for more weapons and ammunition, citing North Korea’s shells for Russia.';

describe('wirewatch match', () => {
  it('prints {"matched", "hits"} with field and offsets for --title/--summary', async () => {
    const run = await runCliCaptured(['match', '--query', '"South Korea"', '--title', seedTitle, '--json']);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as {
      matched: boolean;
      hits: Array<{ term: string; field: string; start: number; end: number }>;
    };
    expect(out.matched).toBe(true);
    const hit = out.hits[0]!;
    expect(hit.field).toBe('title');
    expect(seedTitle.slice(hit.start, hit.end)).toBe('South Korea');
  });

  it('does not fire "South Korea" -"North Korea" on a story that mentions both', async () => {
    const run = await runCliCaptured([
      'match',
      '--query',
      '"South Korea" -"North Korea"',
      '--item',
      JSON.stringify({ title: seedTitle, summary: seedSummary }),
      '--json',
    ]);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { matched: boolean }).matched).toBe(false);
  });

  it('evaluates Ukraine AND (weapons OR ammunition) against --item JSON', async () => {
    const item = JSON.stringify({
      title: seedTitle,
      summary: seedSummary,
      feedTitle: 'Wire',
      categories: ['World'],
    });
    const run = await runCliCaptured([
      'match',
      '-q',
      'Ukraine AND (weapons OR ammunition)',
      '--item',
      item,
      '--json',
    ]);
    const out = JSON.parse(run.stdout) as { matched: boolean; hits: Array<{ term: string }> };
    expect(out.matched).toBe(true);
    expect(out.hits.map((h) => h.term)).toEqual(expect.arrayContaining(['Ukraine']));
  });

  it('exits 2 with the message and a caret under the column for a syntax error', async () => {
    const run = await runCliCaptured(['match', '--query', 'NATO AND (Korea', '--title', 'x']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/column \d+/);
    expect(run.stderr).toContain('NATO AND (Korea');
    expect(run.stderr).toMatch(/\n\s*\^/);
    expect(run.stdout).toBe('');
  });

  it('explains bad --item JSON and missing inputs with exit 2', async () => {
    const bad = await runCliCaptured(['match', '-q', 'NATO', '--item', '{"title": 3}']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"title" must be a string');
    const notJson = await runCliCaptured(['match', '-q', 'NATO', '--item', '{nope']);
    expect(notJson.stderr).toContain('not valid JSON');
    const none = await runCliCaptured(['match', '-q', 'NATO']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('exactly one of');
  });

  describe('--feed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wirewatch-match-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'feed.xml');
    writeFileSync(
      file,
      `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Wire</title>
      <item><guid>1</guid><title>${seedTitle}</title><description>${seedSummary}</description></item>
      <item><guid>2</guid><title>Senator Lee visits Brussels</title><description>Talks on trade.</description></item>
      </channel></rss>`,
    );

    it('prints one JSON line per item', async () => {
      const run = await runCliCaptured(['match', '-q', 'NATO', '--feed', file, '--json']);
      expect(run.code).toBe(0);
      const lines = run.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { id: string; matched: boolean });
      expect(lines.map((l) => [l.id, l.matched])).toEqual([
        ['1', true],
        ['2', false],
      ]);
    });

    it('exits 1 with a reason when the feed cannot be read', async () => {
      const run = await runCliCaptured(['match', '-q', 'NATO', '--feed', join(dir, 'missing.xml')]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('missing.xml');
    });
  });
});

describe('wirewatch CLI basics', () => {
  it('prints the version and help', async () => {
    const version = await runCliCaptured(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    for (const cmd of ['run', 'demo', 'parse', 'match', 'check-config']) {
      const help = await runCliCaptured([cmd, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`Usage: wirewatch ${cmd}`);
    }
  });

  it('rejects an unknown command with exit 2', async () => {
    const run = await runCliCaptured(['frobnicate']);
    expect(run.code).toBe(2);
  });
});
