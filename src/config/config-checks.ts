import type { z } from 'zod';
import { pathToString, type ConfigProblem } from './config-error.js';
import { isRecord } from './config-env.js';
import { configFileSchema } from './config-schema.js';
import { describeType, formatDuration, parseDuration } from './config-units.js';

/** Turns zod's issues into `<path>: <what is wrong and what is expected>` problems, without echoing secrets. */
export function problemsFromIssues(issues: readonly z.core.$ZodIssue[], tree: unknown): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(issue.path);
      for (const key of issue.keys)
        problems.push({ path: pathToString([...issue.path, key]), message: unknownKeyMessage(key, known) });
      continue;
    }
    const value = valueAt(tree, issue.path);
    problems.push({ path: pathToString(issue.path), message: describeIssue(issue, value) });
  }
  return problems;
}

function describeIssue(issue: z.core.$ZodIssue, value: unknown): string {
  if (value === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_union'))
    return `missing; ${ownWords(issue)}`;
  if (issue.code === 'invalid_type') return `${ownWords(issue)}, got ${shownValue(value, false)}`;
  if (issue.code === 'invalid_value') return `${issue.message}, got ${shownValue(value, true)}`;
  if ((issue.code === 'too_small' || issue.code === 'too_big') && typeof value === 'number')
    return `${issue.message}, got ${value}`;
  if (issue.code === 'invalid_union' && 'discriminator' in issue)
    return `${issue.message}, got ${shownValue(value, true)}`;
  return issue.message;
}

// Zod's built-in wording ("Invalid input: expected object, received number") is replaced; custom messages stay.
function ownWords(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.message.startsWith('Invalid input')) {
    const words: Record<string, string> = {
      object: 'a mapping',
      array: 'a list',
      string: 'text',
      number: 'a number',
      boolean: 'true or false',
    };
    return `expected ${words[issue.expected] ?? issue.expected}`;
  }
  return issue.message;
}

// Numbers and true/false are shown as written; text only for fixed choices (an enum), since text may be a secret.
function shownValue(value: unknown, showText: boolean): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string' && showText) return JSON.stringify(value);
  return describeType(value);
}

function unknownKeyMessage(key: string, known: string[]): string {
  if (known.length === 0) return 'unknown key';
  const close = known.find((candidate) => editDistance(candidate.toLowerCase(), key.toLowerCase()) <= 2);
  return close ? `unknown key; did you mean "${close}"?` : `unknown key; expected one of ${known.join(', ')}`;
}

/** The keys the schema accepts at a path, read from the zod schema itself so the list never goes stale. */
function knownKeysAt(path: readonly PropertyKey[]): string[] {
  let schema: z.core.$ZodType | undefined = configFileSchema;
  for (const part of path) {
    schema = unwrap(schema);
    const def: z.core.$ZodTypeDef | undefined = schema?._zod.def;
    if (def?.type === 'object' && typeof part === 'string')
      schema = (def as z.core.$ZodObjectDef).shape[part];
    else if (def?.type === 'array' && typeof part === 'number') schema = (def as z.core.$ZodArrayDef).element;
    else return [];
  }
  const def = unwrap(schema)?._zod.def;
  if (def?.type === 'object') return Object.keys((def as z.core.$ZodObjectDef).shape);
  if (def?.type === 'union') {
    const keys = (def as z.core.$ZodUnionDef).options.flatMap((option) => {
      const optionDef = option._zod.def;
      return optionDef.type === 'object' ? Object.keys((optionDef as z.core.$ZodObjectDef).shape) : [];
    });
    return [...new Set(keys)];
  }
  return [];
}

function unwrap(schema: z.core.$ZodType | undefined): z.core.$ZodType | undefined {
  let current = schema;
  while (current) {
    const def = current._zod.def as z.core.$ZodTypeDef & { innerType?: z.core.$ZodType };
    if ((def.type === 'default' || def.type === 'prefault' || def.type === 'optional') && def.innerType)
      current = def.innerType;
    else return current;
  }
  return current;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

export function valueAt(tree: unknown, path: readonly PropertyKey[]): unknown {
  let node = tree;
  for (const part of path) {
    if (Array.isArray(node) && typeof part === 'number') node = node[part];
    else if (isRecord(node) && typeof part === 'string') node = node[part];
    else return undefined;
  }
  return node;
}

/**
 * Checks that span several entries: unique names, references to existing feeds and destinations, interval
 * bounds in order. Run on the raw tree, entry by entry, so these problems are listed even when other parts
 * of the file are invalid.
 */
export function crossReferenceProblems(tree: Record<string, unknown>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const feedNames = uniqueValues(tree, 'feeds', 'name', 'name', problems);
  uniqueValues(tree, 'feeds', 'url', 'URL', problems);
  const destinationNames = uniqueValues(tree, 'destinations', 'name', 'name', problems);
  uniqueValues(tree, 'watches', 'name', 'name', problems);
  // With no destination declared, the console default (named "console") receives every alert.
  const destinations =
    Array.isArray(tree['destinations']) && tree['destinations'].length > 0 ? destinationNames : ['console'];

  listOf(tree['watches']).forEach((watch, index) => {
    if (!isRecord(watch)) return;
    checkReferences(watch['feeds'], `watches[${index}].feeds`, 'feed', feedNames, problems);
    checkReferences(
      watch['destinations'],
      `watches[${index}].destinations`,
      'destination',
      destinations,
      problems,
    );
  });

  const poll = isRecord(tree['poll']) ? tree['poll'] : {};
  const min = parseDuration(poll['minInterval'] ?? 60);
  const max = parseDuration(poll['maxInterval'] ?? 3600);
  if (min.ok && max.ok && min.value > max.value) {
    problems.push({
      path: 'poll.minInterval',
      message: `must not be longer than poll.maxInterval (${formatDuration(min.value)} > ${formatDuration(max.value)})`,
    });
  }
  return problems;
}

function uniqueValues(
  tree: Record<string, unknown>,
  list: string,
  key: string,
  label: string,
  problems: ConfigProblem[],
): string[] {
  const firstIndex = new Map<string, number>();
  listOf(tree[list]).forEach((entry, index) => {
    const value = isRecord(entry) ? entry[key] : undefined;
    if (typeof value !== 'string') return;
    const normalised = value.trim();
    const first = firstIndex.get(normalised);
    if (first === undefined) firstIndex.set(normalised, index);
    else
      problems.push({
        path: `${list}[${index}].${key}`,
        message: `duplicate ${label}; ${list}[${first}] already has it, expected each to be unique`,
      });
  });
  return [...firstIndex.keys()];
}

function checkReferences(
  value: unknown,
  path: string,
  what: string,
  known: string[],
  problems: ConfigProblem[],
): void {
  listOf(value).forEach((reference, index) => {
    if (typeof reference !== 'string' || known.includes(reference.trim())) return;
    const expected = known.length > 0 ? `expected one of ${known.join(', ')}` : `no ${what}s are declared`;
    problems.push({
      path: `${path}[${index}]`,
      message: `unknown ${what} ${JSON.stringify(reference)}; ${expected}`,
    });
  });
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
