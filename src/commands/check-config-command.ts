import {
  ConfigError,
  describeDestination,
  formatByteSize,
  formatDuration,
  loadConfig,
  type LoadedConfig,
} from '../config/index.js';
import { EXIT_OK, EXIT_USAGE, type CliIo } from './cli-io.js';

/**
 * `wirewatch check-config [path]`: validates the configuration the bot would start with and prints what it
 * would poll and where it would deliver. Secrets are never printed. Exit 0 when valid, 2 when not.
 */
export async function checkConfigCommand(path: string | undefined, io: CliIo): Promise<number> {
  let loaded: LoadedConfig;
  try {
    loaded = loadConfig({ path, env: io.env, cwd: io.cwd });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr(`${error.message}\n`);
    return EXIT_USAGE;
  }
  io.stdout(`${summarise(loaded).join('\n')}\n`);
  return EXIT_OK;
}

function summarise({ config, path, embedded, envOverrides }: LoadedConfig): string[] {
  const { poll, fetch, health } = config;
  const feedWidth = Math.max(0, ...config.feeds.map((feed) => feed.name.length));
  const urlWidth = Math.max(0, ...config.feeds.map((feed) => feed.url.length));
  const destinationWidth = Math.max(0, ...config.destinations.map((destination) => destination.name.length));
  const lines = [
    `Configuration OK: ${embedded ? `embedded defaults (${path})` : path}`,
    ...(envOverrides.length > 0 ? [`Environment overrides: ${envOverrides.join(', ')}`] : []),
    `Data dir: ${config.dataDir} (database ${config.databasePath})`,
    `Log level: ${config.logLevel}`,
    `Poll: schedule "${poll.schedule}", ${poll.concurrency} at a time, every ${formatDuration(poll.defaultIntervalSec)} by default ` +
      `(±${Math.round(poll.jitter * 100)}%, adaptive ${formatDuration(poll.minIntervalSec)}–${formatDuration(poll.maxIntervalSec)}), ` +
      `failing after ${poll.failureThreshold} failures`,
    `Fetch: timeout ${formatDuration(fetch.timeoutSec)}, max body ${formatByteSize(fetch.maxBodyBytes)}, ` +
      `${fetch.maxRedirects} redirects, ${fetch.maxPerHost} per host, private networks ${privateNetworks(config)}`,
    `Discord bot: ${discordState(config)}`,
    `Health: ${health.port === 0 ? 'off' : `http://${health.host}:${health.port}/healthz`}`,
    '',
    `Feeds (${config.feeds.length}):`,
    ...config.feeds.map(
      (feed) =>
        `  ${feed.name.padEnd(feedWidth)}  ${feed.url.padEnd(urlWidth)}  every ${formatDuration(feed.intervalSec)}` +
        (feed.intervalExplicit ? '' : ' (default)'),
    ),
    '',
    `Watches (${config.watches.length}):`,
    ...config.watches.flatMap((watch) => [
      `  ${watch.name}: ${watch.query}`,
      `    feeds: ${listOrAll(watch.feeds, config.feeds.length)}; destinations: ${listOrAll(watch.destinations, config.destinations.length)}`,
    ]),
    '',
    `Destinations (${config.destinations.length}):`,
    ...config.destinations.map(
      (destination) => `  ${destination.name.padEnd(destinationWidth)}  ${describeDestination(destination)}`,
    ),
  ];
  if (config.feeds.length === 0)
    lines.push('', 'Note: no feeds are declared in the file; feeds can still be added from Discord.');
  return lines;
}

function listOrAll(names: string[], total: number): string {
  if (names.length === 0) return 'none';
  return names.length === total ? `all (${names.join(', ')})` : names.join(', ');
}

function privateNetworks({ fetch }: LoadedConfig['config']): string {
  if (fetch.allowPrivateNetworks) return 'allowed';
  const extras = [
    ...(fetch.allowedHosts.length > 0 ? [`except ${fetch.allowedHosts.join(', ')}`] : []),
    ...(fetch.trustConfigFeeds ? ['config feeds trusted'] : []),
  ];
  return `blocked${extras.length > 0 ? ` (${extras.join('; ')})` : ''}`;
}

function discordState({ discord }: LoadedConfig['config']): string {
  if (!discord.enabled) return 'off (no token; set DISCORD_TOKEN to start it)';
  const api = discord.apiBase === null ? "Discord's API" : `API ${withoutCredentials(discord.apiBase)}`;
  return (
    `on (token set, hidden; ${api}; up to ${discord.limits.feedsPerServer} feeds and ` +
    `${discord.limits.watchesPerServer} watches per server; digest above ${discord.digestThreshold} alerts)`
  );
}

// A proxy URL may carry a password; the host and path are enough to recognise it.
function withoutCredentials(text: string): string {
  const url = new URL(text);
  url.username = '';
  url.password = '';
  return url.toString();
}
