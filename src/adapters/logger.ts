import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';

export interface LoggerOptions {
  level: string;
  /** Human-readable output (when stdout is a terminal); JSON lines otherwise. */
  pretty: boolean;
  /** Values that must never reach a log line (the Discord token, webhook URLs), wherever they appear. */
  secrets: readonly string[];
  destination?: NodeJS.WritableStream;
}

const REDACTED = '[redacted]';

/**
 * pino, with secrets removed twice over: by key (token, webhook URLs, auth headers) and by value, since a secret can
 * turn up inside an error message (a URL in "request to https://discord.com/api/webhooks/... failed").
 */
export function createLogger(options: LoggerOptions): Logger {
  const secrets = options.secrets.filter((s) => s.length >= 8);
  const scrub = (value: unknown, depth = 0): unknown => {
    if (typeof value === 'string') return scrubString(value, secrets);
    if (depth > 4 || value === null || typeof value !== 'object') return value;
    if (value instanceof Error) {
      return {
        type: value.name,
        message: scrubString(value.message, secrets),
        stack: scrubString(value.stack ?? '', secrets),
      };
    }
    if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v, depth + 1)]));
  };
  const stream = options.pretty
    ? pretty({
        colorize: true,
        translateTime: 'SYS:HH:MM:ss',
        ignore: 'pid,hostname',
        destination: options.destination ?? 1,
      })
    : (options.destination ?? process.stdout);
  return pino(
    {
      level: options.level,
      base: undefined,
      redact: {
        paths: [
          'token',
          '*.token',
          'webhookUrl',
          '*.webhookUrl',
          'headers.authorization',
          '*.headers.authorization',
        ],
        censor: REDACTED,
      },
      formatters: { log: (obj) => scrub(obj) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          method.apply(
            this,
            args.map((a) => (typeof a === 'string' ? scrubString(a, secrets) : a)) as Parameters<
              typeof method
            >,
          );
        },
      },
    },
    stream,
  );
}

function scrubString(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  // Webhook URLs we were not told about (e.g. typed into a command) are secrets too: keep only the id.
  return out.replace(/(\/api\/(?:v\d+\/)?webhooks\/\d+\/)[\w-]+/g, `$1${REDACTED}`);
}
