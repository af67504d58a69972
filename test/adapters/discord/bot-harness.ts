import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { ChannelType, PermissionFlagsBits } from 'discord.js';
import { deployCommands } from '../../../src/adapters/discord/command-deploy.js';
import { loadConfig } from '../../../src/config/index.js';
import { createRuntime, type Runtime } from '../../../src/runtime.js';
import { startFakeDiscord, type FakeDiscord } from '../../support/fake-discord/index.js';
import type { FakeOptionValue, InteractionUserSpec } from '../../support/fake-discord/index.js';
import { feed, startFeedServer, type FeedServer } from '../../support/feed-server.js';

const P = PermissionFlagsBits;

export const GUILD_A = '110000000000000001';
export const GUILD_B = '110000000000000002';
export const OWNER_A = '210000000000000001';
export const OWNER_B = '210000000000000002';
export const MEMBER = '210000000000000003';
export const BOT = '210000000000000009';
export const NEWS_ROLE = '310000000000000001';
export const EDITORS_ROLE = '310000000000000002';
export const ALERTS_A = '410000000000000001';
export const READONLY_A = '410000000000000002';
export const VOICE_A = '410000000000000003';
export const OTHER_A = '410000000000000004';
export const ALERTS_B = '420000000000000001';

export interface Story {
  guid: string;
  title: string;
  summary?: string;
  /** Minutes before the harness clock's start. */
  ageMinutes?: number;
}

export const T0 = new Date('2026-03-02T09:00:00Z');

export function rss(title: string, stories: readonly Story[]): string {
  const items = stories
    .map(
      (s) => `<item><guid>${s.guid}</guid><title>${s.title}</title><link>https://news.example/${s.guid}</link>
        <description>${s.summary ?? ''}</description>
        <pubDate>${new Date(T0.getTime() - (s.ageMinutes ?? 30) * 60_000).toUTCString()}</pubDate></item>`,
    )
    .join('\n');
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>${title}</title>
    <link>https://news.example/</link><description>test</description>${items}</channel></rss>`;
}

export interface Harness {
  discord: FakeDiscord;
  feeds: FeedServer;
  runtime: Runtime;
  dataDir: string;
  logs: string[];
  clock: { now(): Date; advance(ms: number): void };
  /** Sends a slash command as the guild's owner (or `user`) and waits for the reply. */
  command(
    guildId: string,
    name: string,
    sub: string,
    options?: Record<string, FakeOptionValue>,
    extra?: { user?: InteractionUserSpec; channelId?: string; group?: string },
  ): Promise<{ content: string; ephemeral: boolean; attachments: Array<{ filename: string; data: Buffer }> }>;
  /** Publishes `stories` at `/world.xml`, then advances the clock past the poll interval and ticks. */
  publishAndTick(stories: readonly Story[]): Promise<void>;
  /** Closes the runtime (a "crash" keeps the data dir) and opens a new one on the same database. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  /** More top-level YAML for the config file (e.g. a `stories:` section). */
  configLines?: string[];
}

function writeConfig(dir: string, apiBase: string, extra: readonly string[] = []): string {
  const path = join(dir, 'wirewatch.yaml');
  writeFileSync(
    path,
    [
      `dataDir: ${dir}`,
      'logLevel: info',
      'poll:',
      '  defaultInterval: 5m',
      // The adaptive interval would poll these quiet test feeds hourly; the tests tick every 10 minutes.
      '  maxInterval: 5m',
      '  jitter: 0',
      'fetch:',
      '  timeout: 5s',
      '  allowedHosts: ["127.0.0.1"]',
      'discord:',
      '  token: ${WW_TEST_TOKEN}',
      `  apiBase: ${apiBase}`,
      '  limits:',
      '    feedsPerServer: 3',
      '    watchesPerServer: 4',
      'health:',
      '  port: 0',
      'destinations:',
      '  - name: console',
      '    type: console',
      ...extra,
    ].join('\n'),
  );
  return path;
}

export async function startHarness(
  initialStories: readonly Story[],
  options: HarnessOptions = {},
): Promise<Harness> {
  const discord = await startFakeDiscord({
    botUser: { id: BOT, username: 'wirewatch' },
    heartbeatIntervalMs: 1000,
    guilds: [
      {
        id: GUILD_A,
        name: 'Newsroom A',
        ownerId: OWNER_A,
        roles: [
          { id: GUILD_A, permissions: P.ViewChannel | P.SendMessages | P.ReadMessageHistory },
          { id: NEWS_ROLE, name: 'news', mentionable: true },
          { id: EDITORS_ROLE, name: 'editors' },
        ],
        botPermissions: P.ViewChannel | P.SendMessages | P.EmbedLinks,
        channels: [
          { id: ALERTS_A, name: 'alerts' },
          {
            id: READONLY_A,
            name: 'readonly',
            permissionOverwrites: [{ id: BOT, type: 'member', deny: P.SendMessages }],
          },
          { id: VOICE_A, name: 'voice', type: ChannelType.GuildVoice },
          { id: OTHER_A, name: 'other' },
        ],
      },
      {
        id: GUILD_B,
        name: 'Newsroom B',
        ownerId: OWNER_B,
        botPermissions: P.ViewChannel | P.SendMessages | P.EmbedLinks,
        channels: [{ id: ALERTS_B, name: 'alerts-b' }],
      },
    ],
  });
  const feeds = await startFeedServer({
    '/world.xml': feed(rss('World Wire', initialStories), { etag: 'auto' }),
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'wirewatch-bot-'));
  const configPath = writeConfig(dataDir, discord.apiBase, options.configLines);
  const logs: string[] = [];
  let now = T0.getTime();
  const clock = { now: () => new Date(now), advance: (ms: number) => void (now += ms) };
  const open = async (): Promise<Runtime> => {
    const { config } = loadConfig({ path: configPath, env: { WW_TEST_TOKEN: 'fake-token' }, cwd: dataDir });
    const logStream = new Writable({
      write(chunk: Buffer, _enc, done) {
        logs.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    const rt = createRuntime(config, {
      write: () => {},
      prettyLogs: false,
      clock,
      logDestination: logStream,
    });
    // What app.start() does, without its cron schedule: tests drive the ticks themselves.
    rt.app.watches.load(rt.store.listWatches());
    await rt.discord?.start();
    return rt;
  };
  await deployCommands({ token: 'fake-token', apiBase: discord.apiBase });
  let runtime = await open();
  const harness: Harness = {
    discord,
    feeds,
    dataDir,
    logs,
    clock,
    get runtime() {
      return runtime;
    },
    async command(guildId, name, sub, options = {}, extra = {}) {
      const handle = discord.interaction({
        guildId,
        channelId: extra.channelId ?? (guildId === GUILD_A ? ALERTS_A : ALERTS_B),
        name,
        ...(extra.group ? { subcommandGroup: extra.group } : {}),
        subcommand: sub,
        options,
        ...(extra.user ? { user: extra.user } : {}),
      });
      const reply = await handle.reply({ timeoutMs: 8000 });
      return {
        content: reply.content,
        ephemeral: (reply.flags & 64) === 64,
        attachments: reply.attachments.map((a) => ({ filename: a.filename, data: a.data })),
      };
    },
    async publishAndTick(stories) {
      feeds.route('/world.xml', feed(rss('World Wire', stories), { etag: 'auto' }));
      clock.advance(10 * 60_000);
      await runtime.app.tick();
    },
    async restart() {
      await runtime.close();
      runtime = await open();
    },
    async stop() {
      await runtime.close();
      await feeds.close();
      await discord.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}
