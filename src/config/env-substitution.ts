import { pathToString, type ConfigProblem } from './config-error.js';

export interface SubstitutionResult {
  value: unknown;
  problems: ConfigProblem[];
  /** Paths (as strings) whose value came, wholly or partly, from an environment variable. */
  fromEnv: Set<string>;
  /** The values that came from the environment, so error messages can be scrubbed of them. */
  substitutedValues: string[];
}

// `${NAME}` or `${NAME:-fallback}`; `$${` is a literal `${`.
const REFERENCE = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$\{[^}]*\}?/g;

/**
 * Replaces `${VAR}` references in every string value of the parsed YAML tree (not in keys, and after parsing,
 * so a secret containing quotes or colons cannot change the document's structure).
 */
export function substituteEnv(
  tree: unknown,
  env: Readonly<Record<string, string | undefined>>,
): SubstitutionResult {
  const result: SubstitutionResult = {
    value: undefined,
    problems: [],
    fromEnv: new Set(),
    substitutedValues: [],
  };
  result.value = walk(tree, [], env, result);
  return result;
}

function walk(
  node: unknown,
  path: PropertyKey[],
  env: Readonly<Record<string, string | undefined>>,
  out: SubstitutionResult,
): unknown {
  if (typeof node === 'string') return substituteString(node, path, env, out);
  if (Array.isArray(node)) return node.map((child, index) => walk(child, [...path, index], env, out));
  if (node !== null && typeof node === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(node)) copy[key] = walk(child, [...path, key], env, out);
    return copy;
  }
  return node;
}

function substituteString(
  text: string,
  path: PropertyKey[],
  env: Readonly<Record<string, string | undefined>>,
  out: SubstitutionResult,
): string {
  if (!text.includes('${')) return text;
  let usedEnv = false;
  const replaced = text.replace(
    REFERENCE,
    (whole: string, name: string | undefined, fallback: string | undefined) => {
      if (whole === '$${') return '${';
      if (name === undefined) {
        out.problems.push({
          path: pathToString(path),
          message: `malformed reference ${whole}; expected \${NAME} or \${NAME:-default}`,
        });
        return whole;
      }
      const value = env[name];
      if (value !== undefined && value !== '') {
        usedEnv = true;
        out.substitutedValues.push(value);
        return value;
      }
      if (fallback !== undefined) return fallback;
      out.problems.push({
        path: pathToString(path),
        message: `environment variable ${name} is not set (write \${${name}:-} to make it optional)`,
      });
      return '';
    },
  );
  if (usedEnv) out.fromEnv.add(pathToString(path));
  return replaced;
}
