/** One thing wrong with the configuration: where (a path like `watches[2].query`) and what is expected. */
export interface ConfigProblem {
  /** Dotted path with list indexes, e.g. `poll.schedule`, `watches[2].query`; `line 3, column 7` for YAML syntax. */
  path: string;
  message: string;
  /** 1-based line in the YAML source the problem points at, when known (used to order problems). */
  line?: number;
}

export type ConfigErrorCode = 'config-invalid' | 'config-not-found' | 'config-yaml';

/**
 * The one error a bad configuration produces. Its message lists every problem, one per line, so a user fixes
 * everything in one go instead of one error per restart. Messages never contain secret values.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    readonly code: ConfigErrorCode,
    /** Where the configuration came from: a file path, or "embedded defaults". */
    readonly source: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(formatConfigError(code, source, problems));
  }
}

function formatConfigError(
  code: ConfigErrorCode,
  source: string,
  problems: readonly ConfigProblem[],
): string {
  if (code === 'config-not-found') {
    return `Configuration file not found: ${source}${problems.length > 0 ? `\n${problems.map(formatProblem).join('\n')}` : ''}`;
  }
  const what = code === 'config-yaml' ? 'YAML syntax' : 'configuration';
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  return `Invalid ${what} in ${source} (${count}):\n${problems.map(formatProblem).join('\n')}`;
}

function formatProblem(problem: ConfigProblem): string {
  return `  - ${problem.path}: ${problem.message}`;
}

/** Turns a path array from zod or the YAML tree into `watches[2].query`. */
export function pathToString(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(top level)' : out;
}
