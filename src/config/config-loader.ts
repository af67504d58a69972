import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { crossReferenceProblems, problemsFromIssues, valueAt } from './config-checks.js';
import { applyEnvOverrides, isRecord } from './config-env.js';
import { ConfigError, type ConfigProblem } from './config-error.js';
import { resolveConfig } from './config-resolve.js';
import { configFileSchema } from './config-schema.js';
import { substituteEnv } from './env-substitution.js';
import type { LoadedConfig } from './wirewatch-config.js';

export interface LoadConfigOptions {
  /** Explicit path (e.g. `check-config <path>`); relative to cwd. Wins over WIREWATCH_CONFIG. */
  path?: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
}

/**
 * The bundled default file. src/config/ and dist/config/ are both two levels below the package root, so the
 * same relative URL finds the shipped config/ directory from the sources (tsx, vitest) and from the build.
 */
export const BUNDLED_CONFIG_PATH = fileURLToPath(new URL('../../config/wirewatch.yaml', import.meta.url));

/** Reads, substitutes, overrides and validates the configuration; throws one ConfigError listing every problem. */
export function loadConfig(options: LoadConfigOptions): LoadedConfig {
  const { path, embedded } = locateConfig(options);
  const text = readConfigText(path);
  const { tree, doc, lineCounter } = parseYaml(text, path);

  const substituted = substituteEnv(tree, options.env);
  const overridden = applyEnvOverrides(isRecord(substituted.value) ? substituted.value : {}, options.env);
  const raw = overridden.tree;
  const problems: ConfigProblem[] = [...substituted.problems, ...overridden.problems];
  if (substituted.value !== undefined && !isRecord(substituted.value)) {
    problems.push({
      path: '(top level)',
      message: 'expected a mapping of settings like "poll:", "feeds:", "watches:"',
    });
  }

  const parsed = configFileSchema.safeParse(raw);
  const later = [
    ...(parsed.success ? [] : problemsFromIssues(parsed.error.issues, raw)),
    ...crossReferenceProblems(raw),
  ];
  // An unset ${VAR} leaves an empty value behind; "expected a URL" on top of "VAR is not set" is noise.
  const unresolved = new Set(substituted.problems.map((problem) => problem.path));
  problems.push(...later.filter((problem) => !unresolved.has(problem.path)));

  if (problems.length > 0 || !parsed.success) {
    const secrets = secretValues(raw, options.env, substituted.substitutedValues);
    const located = problems.map((problem) => locate(problem, doc, lineCounter, overridden.fromEnv));
    throw new ConfigError(
      'config-invalid',
      embedded ? 'embedded defaults' : path,
      dedupe(sortByLine(located)).map((problem) => scrub(problem, secrets)),
    );
  }

  const fromEnv = new Set([...substituted.fromEnv, ...overridden.fromEnv.keys()]);
  return {
    config: resolveConfig(parsed.data, { cwd: options.cwd, fromEnv }),
    path,
    embedded,
    envOverrides: [...new Set(overridden.applied)],
  };
}

function locateConfig(options: LoadConfigOptions): { path: string; embedded: boolean } {
  const requested = options.path ?? nonEmpty(options.env['WIREWATCH_CONFIG']);
  if (requested !== undefined) {
    const path = resolve(options.cwd, requested);
    if (!existsSync(path)) {
      const via = options.path === undefined ? ' (from WIREWATCH_CONFIG)' : '';
      throw new ConfigError('config-not-found', path, [{ path: 'file', message: `no such file${via}` }]);
    }
    return { path, embedded: false };
  }
  const local = resolve(options.cwd, 'config', 'wirewatch.yaml');
  if (existsSync(local)) return { path: local, embedded: false };
  return { path: BUNDLED_CONFIG_PATH, embedded: true };
}

function readConfigText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : 'unreadable';
    throw new ConfigError('config-not-found', path, [
      { path: 'file', message: `cannot be read (${reason})` },
    ]);
  }
}

function parseYaml(text: string, path: string): { tree: unknown; doc: Document; lineCounter: LineCounter } {
  const lineCounter = new LineCounter();
  // prettyErrors fills in linePos; its message gets " at line L, column C:" and a code excerpt, which we drop.
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const problems: ConfigProblem[] = doc.errors.map((error) => {
    const position = error.linePos?.[0];
    const where = position ? `line ${position.line}, column ${position.col}` : 'YAML';
    const message = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    return { path: where, message, line: position?.line };
  });
  let tree: unknown;
  if (problems.length === 0) {
    try {
      // A small alias budget stops "billion laughs" documents from expanding.
      tree = dropNulls(doc.toJS({ maxAliasCount: 100 }));
    } catch (error) {
      problems.push({ path: 'YAML', message: error instanceof Error ? error.message : String(error) });
    }
  }
  if (problems.length > 0) throw new ConfigError('config-yaml', path, problems);
  return { tree: tree ?? {}, doc, lineCounter };
}

// `poll:` with every child commented out parses as null; treat it as "use the defaults", like a missing key.
function dropNulls(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(dropNulls);
  if (!isRecord(node)) return node;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) if (value !== null) copy[key] = dropNulls(value);
  return copy;
}

/** Adds the YAML line a problem points at, or says which environment variable supplied the value. */
function locate(
  problem: ConfigProblem,
  doc: Document,
  lineCounter: LineCounter,
  fromEnv: ReadonlyMap<string, string>,
): ConfigProblem {
  for (const [envPath, variable] of fromEnv) {
    if (
      problem.path === envPath ||
      problem.path.startsWith(`${envPath}.`) ||
      problem.path.startsWith(`${envPath}[`)
    ) {
      return { ...problem, message: `${problem.message} (from env ${variable})` };
    }
  }
  if (problem.line !== undefined) return problem;
  const parts = parsePath(problem.path);
  for (let length = parts.length; length > 0; length -= 1) {
    const node = doc.getIn(parts.slice(0, length), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) {
      const line = lineCounter.linePos(node.range[0]).line;
      return { ...problem, message: `${problem.message} (line ${line})`, line };
    }
  }
  return problem;
}

function parsePath(path: string): Array<string | number> {
  const parts: Array<string | number> = [];
  for (const match of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g))
    parts.push(match[2] !== undefined ? Number(match[2]) : (match[1] ?? ''));
  return parts;
}

function sortByLine(problems: ConfigProblem[]): ConfigProblem[] {
  return problems
    .map((problem, order) => ({ problem, order }))
    .sort(
      (a, b) =>
        (a.problem.line ?? Number.MAX_SAFE_INTEGER) - (b.problem.line ?? Number.MAX_SAFE_INTEGER) ||
        a.order - b.order,
    )
    .map(({ problem }) => problem);
}

function dedupe(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.path}\n${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Values that must never appear in an error: the token, webhook URLs, and whatever `${VAR}` brought in. */
function secretValues(
  raw: Record<string, unknown>,
  env: LoadConfigOptions['env'],
  substituted: string[],
): string[] {
  const candidates: unknown[] = [
    env['DISCORD_TOKEN'],
    env['DISCORD_WEBHOOK_URL'],
    valueAt(raw, ['discord', 'token']),
    ...substituted,
  ];
  const destinations = raw['destinations'];
  if (Array.isArray(destinations))
    for (const destination of destinations) candidates.push(valueAt(destination, ['url']));
  // Very short values would blank out ordinary words; a real secret is never that short.
  return candidates
    .filter((value): value is string => typeof value === 'string' && value.length >= 6)
    .sort((a, b) => b.length - a.length);
}

function scrub(problem: ConfigProblem, secrets: string[]): ConfigProblem {
  let message = problem.message;
  for (const secret of secrets) message = message.split(secret).join('[hidden]');
  return { ...problem, message };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
