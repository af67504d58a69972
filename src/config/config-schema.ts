import { isIP } from 'node:net';
import { validate as isValidCron, validateDetailed as explainCron } from 'node-cron';
import { z } from 'zod';
import { compileQuery } from '../core/query/index.js';
import { parseByteSize, parseDuration, type UnitResult } from './config-units.js';

/**
 * The shape of config/wirewatch.yaml, after `${VAR}` substitution and environment overrides. Every object is
 * strict so a misspelt key is reported instead of silently ignored. Durations come out in seconds, sizes in bytes.
 */

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function unit(parse: (input: unknown) => UnitResult, min: number, minText: string) {
  return z.unknown().transform((input, ctx) => {
    const parsed = parse(input);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: parsed.error });
      return z.NEVER;
    }
    if (parsed.value < min) {
      ctx.addIssue({ code: 'custom', message: `expected at least ${minText}` });
      return z.NEVER;
    }
    return parsed.value;
  });
}

const duration = (minSeconds: number, minText: string) => unit(parseDuration, minSeconds, minText);
const byteSize = (minBytes: number, minText: string) => unit(parseByteSize, minBytes, minText);

function integer(min: number, max = Number.MAX_SAFE_INTEGER) {
  const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
  return z
    .number({ error: `expected a whole number ${range}` })
    .int({ error: `expected a whole number ${range}` })
    .min(min, { error: `expected a whole number ${range}` })
    .max(max, { error: `expected a whole number ${range}` });
}

const bool = z.boolean({ error: 'expected true or false' });

const name = z
  .string({ error: 'expected a name (text)' })
  .trim()
  .min(1, { error: 'expected a non-empty name' })
  .max(100, { error: 'expected a name of at most 100 characters' });

function isHttpUrl(text: string): URL | null {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

const feedUrl = z.string({ error: 'expected an http(s) URL' }).superRefine((text, ctx) => {
  const url = isHttpUrl(text);
  if (!url) ctx.addIssue({ code: 'custom', message: 'expected an http(s) URL' });
  else if (url.username !== '' || url.password !== '') {
    ctx.addIssue({ code: 'custom', message: 'expected an http(s) URL without user name or password' });
  }
});

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const WEBHOOK_PATH = /^\/api\/(v\d+\/)?webhooks\/\d+\/[\w-]+\/?$/;

// Never echo the value: a webhook URL is a secret (its last segment is the token).
const webhookUrl = z.string({ error: 'expected a Discord webhook URL' }).superRefine((text, ctx) => {
  const url = isHttpUrl(text);
  // Plain http only to loopback: local fakes in tests and a proxy on the same host.
  const secureEnough = url !== null && (url.protocol === 'https:' || LOOPBACK_HOSTS.has(url.hostname));
  if (!url || !secureEnough || !WEBHOOK_PATH.test(url.pathname)) {
    ctx.addIssue({
      code: 'custom',
      message: 'expected a Discord webhook URL like https://discord.com/api/webhooks/<id>/<token>',
    });
  }
});

const cronExpression = z
  .string({ error: 'expected a cron expression like "* * * * *"' })
  .superRefine((text, ctx) => {
    if (isValidCron(text)) return;
    const detail = explainCron(text).errors[0]?.message;
    ctx.addIssue({
      code: 'custom',
      message: `not a valid cron expression (${JSON.stringify(text)}${detail ? `: ${detail}` : ''}); expected 5 or 6 fields like "* * * * *"`,
    });
  });

const watchQuery = z.string({ error: 'expected a query (text)' }).superRefine((text, ctx) => {
  try {
    compileQuery(text);
  } catch (error) {
    if (!(error instanceof Error) || error.name !== 'QuerySyntaxError') throw error;
    ctx.addIssue({ code: 'custom', message: error.message.split('\n')[0] ?? error.message });
  }
});

// A host name, an IP address, or a CIDR block such as 10.0.0.0/8.
const allowedHost = z
  .string({ error: 'expected a host name, IP address or CIDR block' })
  .superRefine((text, ctx) => {
    const [address = '', bits, extra] = text.split('/');
    const family = isIP(address);
    const validCidr =
      bits === undefined || (family !== 0 && /^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
    const validHost =
      family !== 0 ||
      /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(address);
    if (extra !== undefined || !validCidr || !validHost) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a host name, IP address or CIDR block like 10.0.0.0/8, got ${JSON.stringify(text)}`,
      });
    }
  });

/** "22:00" → 1320 (minutes after midnight UTC). */
const clockTime = z
  .string({ error: 'expected a time of day as HH:MM (UTC), e.g. "22:00"' })
  .regex(/^([01]?\d|2[0-3]):[0-5]\d$/, { error: 'expected a time of day as HH:MM (UTC), e.g. "22:00"' })
  .transform((text) => {
    const [h = '0', m = '0'] = text.split(':');
    return Number(h) * 60 + Number(m);
  });

// Per-destination delivery policy: quiet hours (held, then one digest) and a rate cap (surplus as one digest).
const deliveryPolicy = {
  quietHours: z
    .strictObject({ start: clockTime, end: clockTime })
    .refine((q) => q.start !== q.end, { error: 'expected different start and end times' })
    .optional(),
  rateCap: z.strictObject({ max: integer(1, 1000), per: duration(60, '1m') }).optional(),
};

const nameList = (what: string) =>
  z
    .array(z.string({ error: `expected a ${what} name` }), { error: `expected a list of ${what} names` })
    .min(1, { error: `expected at least one ${what} name (leave the key out to use every ${what})` })
    .optional();

export const configFileSchema = z.strictObject({
  dataDir: z
    .string({ error: 'expected a directory path' })
    .min(1, { error: 'expected a directory path' })
    .default('./data'),
  logLevel: z.enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  poll: z
    .strictObject({
      schedule: cronExpression.default('* * * * *'),
      concurrency: integer(1, 1000).default(8),
      defaultInterval: duration(1, '1s').default(300),
      jitter: z
        .number({ error: 'expected a fraction from 0 to 1' })
        .min(0, { error: 'expected a fraction from 0 to 1' })
        .max(1, { error: 'expected a fraction from 0 to 1' })
        .default(0.1),
      minInterval: duration(1, '1s').default(60),
      maxInterval: duration(1, '1s').default(3600),
      failureThreshold: integer(1).default(10),
    })
    .prefault({}),
  fetch: z
    .strictObject({
      timeout: duration(0.1, '100ms').default(20),
      maxBodySize: byteSize(1024, '1KiB').default(10 * 1024 * 1024),
      maxRedirects: integer(0, 20).default(5),
      maxPerHost: integer(1, 100).default(2),
      allowPrivateNetworks: bool.default(false),
      allowedHosts: z
        .array(allowedHost, { error: 'expected a list of host names or CIDR blocks' })
        .default([]),
      trustConfigFeeds: bool.default(false),
    })
    .prefault({}),
  discord: z
    .strictObject({
      token: z.string({ error: 'expected the bot token as text, usually "${DISCORD_TOKEN}"' }).optional(),
      apiBase: z
        .string({ error: 'expected an http(s) URL' })
        .refine((text) => isHttpUrl(text) !== null, { error: 'expected an http(s) URL' })
        .optional(),
      limits: z
        .strictObject({ feedsPerServer: integer(1).default(100), watchesPerServer: integer(1).default(200) })
        .prefault({}),
      digestThreshold: integer(1).default(5),
    })
    .prefault({}),
  stories: z
    .strictObject({
      enabled: bool.default(true),
      window: duration(60, '1m').default(48 * 3600),
      threshold: z
        .number({ error: 'expected a similarity from 0.05 to 1' })
        .min(0.05, { error: 'expected a similarity from 0.05 to 1' })
        .max(1, { error: 'expected a similarity from 0.05 to 1' })
        .default(0.33),
      followUps: bool.default(false),
    })
    .prefault({}),
  health: z
    .strictObject({
      port: integer(0, 65535).default(9464),
      host: z
        .string({ error: 'expected a bind address like 127.0.0.1' })
        .min(1, { error: 'expected a bind address like 127.0.0.1' })
        .default('127.0.0.1'),
    })
    .prefault({}),
  destinations: z
    .array(
      z.discriminatedUnion(
        'type',
        [
          z.strictObject({ name, type: z.literal('console'), ...deliveryPolicy }),
          z.strictObject({ name, type: z.literal('discord-webhook'), url: webhookUrl, ...deliveryPolicy }),
        ],
        { error: 'expected type console or discord-webhook' },
      ),
      { error: 'expected a list of destinations' },
    )
    .default([]),
  feeds: z
    .array(z.strictObject({ name, url: feedUrl, interval: duration(1, '1s').optional() }), {
      error: 'expected a list of feeds',
    })
    .default([]),
  watches: z
    .array(
      z.strictObject({
        name,
        query: watchQuery,
        feeds: nameList('feed'),
        destinations: nameList('destination'),
      }),
      {
        error: 'expected a list of watches',
      },
    )
    .default([]),
});

export type ConfigFile = z.output<typeof configFileSchema>;
