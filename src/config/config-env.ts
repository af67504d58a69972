import type { ConfigProblem } from './config-error.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface EnvOverrideResult {
  /** The raw config tree with overrides merged in (a copy; the input is not changed). */
  tree: Record<string, unknown>;
  /** Config path → the environment variable its value came from, to say so in error messages. */
  fromEnv: Map<string, string>;
  /** Names of the variables that changed something. */
  applied: string[];
  problems: ConfigProblem[];
}

/** Variables that override one value each, by config path. */
const SIMPLE_OVERRIDES: ReadonlyArray<{ variable: string; path: readonly [string, ...string[]] }> = [
  { variable: 'WIREWATCH_DATA_DIR', path: ['dataDir'] },
  { variable: 'LOG_LEVEL', path: ['logLevel'] },
  { variable: 'DISCORD_TOKEN', path: ['discord', 'token'] },
  { variable: 'DISCORD_API_BASE', path: ['discord', 'apiBase'] },
  // In a container the health server must listen on 0.0.0.0 to be scraped from outside.
  { variable: 'WIREWATCH_HEALTH_HOST', path: ['health', 'host'] },
  { variable: 'WIREWATCH_HEALTH_PORT', path: ['health', 'port'] },
];

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'on']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'off']);

/**
 * Merges the environment into the raw tree before validation, so an override is checked like any other value.
 * Empty variables count as unset: `env_file` lines like `DISCORD_TOKEN=` are common.
 */
export function applyEnvOverrides(tree: Record<string, unknown>, env: Env): EnvOverrideResult {
  const result: EnvOverrideResult = {
    tree: structuredClone(tree),
    fromEnv: new Map(),
    applied: [],
    problems: [],
  };
  for (const { variable, path } of SIMPLE_OVERRIDES) {
    const raw = nonEmpty(env[variable]);
    // Environment values are strings; a whole number is meant as one (a port), anything else is checked as given.
    const value = raw !== undefined && /^\d+$/.test(raw.trim()) && path.at(-1) === 'port' ? Number(raw) : raw;
    if (value !== undefined && setIn(result.tree, path, value)) record(result, variable, path.join('.'));
  }

  const privateNetworks = nonEmpty(env['WIREWATCH_ALLOW_PRIVATE_NETWORKS']);
  if (privateNetworks !== undefined) {
    const word = privateNetworks.toLowerCase();
    if (TRUE_WORDS.has(word) || FALSE_WORDS.has(word)) {
      if (setIn(result.tree, ['fetch', 'allowPrivateNetworks'], TRUE_WORDS.has(word))) {
        record(result, 'WIREWATCH_ALLOW_PRIVATE_NETWORKS', 'fetch.allowPrivateNetworks');
      }
    } else {
      result.problems.push({
        path: 'fetch.allowPrivateNetworks',
        message: `expected 1 or 0 (also true/false, yes/no, on/off) in env WIREWATCH_ALLOW_PRIVATE_NETWORKS, got ${JSON.stringify(privateNetworks)}`,
      });
    }
  }

  const webhookUrl = nonEmpty(env['DISCORD_WEBHOOK_URL']);
  if (webhookUrl !== undefined) addEnvWebhook(result, webhookUrl);
  return result;
}

// The variable is the quick way to get alerts into Discord; a file that declares its own webhook
// destination(s) has chosen where alerts go (usually with "${DISCORD_WEBHOOK_URL}" inside), so it wins.
function addEnvWebhook(result: EnvOverrideResult, url: string): void {
  const declared = result.tree['destinations'];
  if (declared !== undefined && !Array.isArray(declared)) return;
  const list = declared ?? [];
  const hasWebhook = list.some((entry: unknown) => isRecord(entry) && entry['type'] === 'discord-webhook');
  if (hasWebhook) return;
  list.push({ name: 'webhook', type: 'discord-webhook', url });
  result.tree['destinations'] = list;
  record(result, 'DISCORD_WEBHOOK_URL', `destinations[${list.length - 1}].url`);
  result.fromEnv.set(`destinations[${list.length - 1}]`, 'DISCORD_WEBHOOK_URL');
}

function record(result: EnvOverrideResult, variable: string, path: string): void {
  result.fromEnv.set(path, variable);
  result.applied.push(variable);
}

/** Sets a nested value, creating missing mappings; false when a parent is not a mapping (validation reports it). */
function setIn(tree: Record<string, unknown>, path: readonly string[], value: unknown): boolean {
  let node = tree;
  for (const key of path.slice(0, -1)) {
    const child = node[key] ?? {};
    if (!isRecord(child)) return false;
    node[key] = child;
    node = child;
  }
  node[path[path.length - 1] ?? ''] = value;
  return true;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
