import { isAbsolute, join, resolve } from 'node:path';
import type { ConfigFile } from './config-schema.js';
import type { ConfigDestination, WirewatchConfig } from './wirewatch-config.js';

export interface ResolveContext {
  cwd: string;
  /** Config paths whose value came from the environment (`destinations[1].url`, `discord.token`...). */
  fromEnv: ReadonlySet<string>;
}

/** Validated file → the config the app reads: defaults filled in, paths absolute, implicit lists made explicit. */
export function resolveConfig(file: ConfigFile, context: ResolveContext): WirewatchConfig {
  const dataDir = isAbsolute(file.dataDir) ? file.dataDir : resolve(context.cwd, file.dataDir);
  const token = emptyToNull(file.discord.token);
  const destinations: ConfigDestination[] = file.destinations.map((destination, index) => {
    const policy = {
      ...(destination.quietHours ? { quietHours: { ...destination.quietHours } } : {}),
      ...(destination.rateCap
        ? { rateCap: { max: destination.rateCap.max, windowSec: destination.rateCap.per } }
        : {}),
    };
    return destination.type === 'console'
      ? { name: destination.name, type: 'console', ...policy }
      : {
          name: destination.name,
          type: 'discord-webhook',
          url: destination.url,
          urlSource: context.fromEnv.has(`destinations[${index}].url`) ? 'env' : 'file',
          ...policy,
        };
  });
  if (destinations.length === 0) destinations.push({ name: 'console', type: 'console' });

  const feedNames = file.feeds.map((feed) => feed.name);
  const destinationNames = destinations.map((destination) => destination.name);
  return {
    dataDir,
    databasePath: join(dataDir, 'wirewatch.db'),
    logLevel: file.logLevel,
    poll: {
      schedule: file.poll.schedule,
      concurrency: file.poll.concurrency,
      defaultIntervalSec: file.poll.defaultInterval,
      jitter: file.poll.jitter,
      minIntervalSec: file.poll.minInterval,
      maxIntervalSec: file.poll.maxInterval,
      failureThreshold: file.poll.failureThreshold,
    },
    fetch: {
      timeoutSec: file.fetch.timeout,
      maxBodyBytes: file.fetch.maxBodySize,
      maxRedirects: file.fetch.maxRedirects,
      maxPerHost: file.fetch.maxPerHost,
      allowPrivateNetworks: file.fetch.allowPrivateNetworks,
      allowedHosts: file.fetch.allowedHosts,
      trustConfigFeeds: file.fetch.trustConfigFeeds,
    },
    discord: {
      token,
      apiBase: emptyToNull(file.discord.apiBase),
      enabled: token !== null,
      limits: { ...file.discord.limits },
      digestThreshold: file.discord.digestThreshold,
    },
    stories: {
      enabled: file.stories.enabled,
      windowSec: file.stories.window,
      threshold: file.stories.threshold,
      followUps: file.stories.followUps,
    },
    health: { ...file.health },
    destinations,
    feeds: file.feeds.map((feed) => ({
      name: feed.name,
      url: feed.url,
      intervalSec: feed.interval ?? file.poll.defaultInterval,
      intervalExplicit: feed.interval !== undefined,
    })),
    watches: file.watches.map((watch) => ({
      name: watch.name,
      query: watch.query,
      feeds: watch.feeds?.map((name) => name.trim()) ?? feedNames,
      destinations: watch.destinations?.map((name) => name.trim()) ?? destinationNames,
    })),
  };
}

function emptyToNull(value: string | undefined): string | null {
  return value === undefined || value.trim() === '' ? null : value;
}
