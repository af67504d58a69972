import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../support/fake-discord/index.js';
import { runCliCaptured } from '../support/run-cli.js';

const GUILD = '130000000000000001';

describe('wirewatch deploy-commands', () => {
  let discord: FakeDiscord;
  let dir: string;
  let config: string;

  beforeAll(async () => {
    discord = await startFakeDiscord({
      token: 'deploy-token',
      guilds: [{ id: GUILD, channels: [{ id: '430000000000000001' }] }],
    });
    dir = mkdtempSync(join(tmpdir(), 'wirewatch-deploy-'));
    config = join(dir, 'wirewatch.yaml');
    writeFileSync(config, `dataDir: ${dir}\ndiscord:\n  apiBase: ${discord.apiBase}\nhealth:\n  port: 0\n`);
  });

  afterAll(async () => {
    await discord?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('registers the commands to one server, then globally, with Manage Server as the default', async () => {
    const env = { DISCORD_TOKEN: 'deploy-token' };
    const guild = await runCliCaptured(['deploy-commands', '--guild', GUILD, '-c', config], env, dir);
    expect(guild).toMatchObject({ code: 0, stderr: '' });
    expect(guild.stdout).toContain(`Registered 3 commands to server ${GUILD}`);
    expect(discord.commands(GUILD).map((c) => c.name)).toEqual(['feed', 'watch', 'wirewatch']);
    expect(discord.commands()).toEqual([]);
    const global = await runCliCaptured(['deploy-commands', '-c', config], env, dir);
    expect(global.code).toBe(0);
    expect(discord.commands().map((c) => [c.name, c.default_member_permissions])).toEqual([
      ['feed', '32'],
      ['watch', '32'],
      ['wirewatch', '32'],
    ]);
  });

  it('says what is wrong: no token, a bad server id, a token Discord refuses', async () => {
    const none = await runCliCaptured(['deploy-commands', '-c', config], {}, dir);
    expect(none).toMatchObject({ code: 2 });
    expect(none.stderr).toContain('set DISCORD_TOKEN');
    const badId = await runCliCaptured(
      ['deploy-commands', '--guild', 'abc', '-c', config],
      { DISCORD_TOKEN: 'x' },
      dir,
    );
    expect(badId.stderr).toContain('--guild expects a server id');
    const refused = await runCliCaptured(['deploy-commands', '-c', config], { DISCORD_TOKEN: 'wrong' }, dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Could not register the commands: Discord answered 401');
    expect(refused.stderr).not.toContain('wrong');
  });
});
