import { describe, expect, it } from 'vitest';
import { runCliCaptured } from '../support/run-cli.js';

/** Each alert block starts with `━━ <watch> ━━ <title>`. */
function alertHeads(stdout: string): Array<{ watch: string; title: string }> {
  return [...stdout.matchAll(/^━━ (\S+) ━━ (.+)$/gm)].map((m) => ({
    watch: m[1] ?? '',
    title: (m[2] ?? '').replace(/[[\]]/g, ''),
  }));
}

describe('wirewatch demo', () => {
  it('alerts on the NATO / South Korea story for exactly the right watches, and on nothing else', async () => {
    const run = await runCliCaptured(['demo']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const heads = alertHeads(run.stdout);
    const seed = 'NATO’s chief urges South Korea to step up military support for Ukraine';
    expect(heads.map((h) => h.watch).sort()).toEqual(['nato', 'south-korea', 'ukraine-arms']);
    expect(heads.every((h) => h.title === seed)).toBe(true);
    // The first poll records without alerting; the decoys never alert.
    expect(run.stdout).toMatch(/poll 1: 2 feeds read, \d+ stories recorded, 0 alerts/);
    expect(run.stdout).toMatch(/poll 2: 2 feeds read, 5 new stories, 3 alerts/);
    for (const decoy of ['Senator', 'South Korean won', 'Ukrainian ammunition']) {
      expect(heads.some((h) => h.title.includes(decoy))).toBe(false);
      expect(run.stdout).toContain(decoy);
    }
  });
});
