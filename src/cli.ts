#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { VERSION } from './version.js';
import { EXIT_USAGE, type CliIo } from './commands/cli-io.js';
import type { HealthOptions } from './commands/health-command.js';
import type { MatchOptions } from './commands/match-command.js';
import type { StatusOptions } from './commands/status-command.js';

/**
 * The `wirewatch` command. Every command is a function of (arguments, io) returning an exit code, so tests run them
 * in-process; command modules are imported lazily so `wirewatch --help` stays fast.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let exitCode = 0;
  const program = new Command('wirewatch')
    .description('Realtime news alerts for Discord: polls feeds, matches keyword watches, posts alerts.')
    .version(VERSION, '-v, --version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .showHelpAfterError('(run with --help for usage)');

  program
    .command('run')
    .description(
      'run the bot: poll feeds on schedule and deliver alerts (console when no Discord is configured)',
    )
    .option('-c, --config <path>', 'config file (default: $WIREWATCH_CONFIG or config/wirewatch.yaml)')
    .action(async (opts: { config?: string }) => {
      const { runCommand } = await import('./commands/run-command.js');
      exitCode = await runCommand(opts, io);
    });

  program
    .command('demo')
    .description(
      'offline demo: serves bundled sample feeds locally, runs the real pipeline, prints the alerts',
    )
    .action(async () => {
      const { demoCommand } = await import('./commands/demo-command.js');
      exitCode = await demoCommand(io);
    });

  program
    .command('parse')
    .description('parse one feed (file or URL) and print it')
    .argument('<file-or-url>', 'feed file path or http(s) URL')
    .option('--json', 'print one JSON object {feed, items}')
    .action(async (target: string, opts: { json?: boolean }) => {
      const { parseCommand } = await import('./commands/parse-command.js');
      exitCode = await parseCommand(target, { json: opts.json === true }, io);
    });

  program
    .command('match')
    .description('evaluate one watch query against an item, a title/summary, or every item of a feed')
    .requiredOption('-q, --query <query>', 'the watch query')
    .addOption(
      new Option('--item <json>', 'item as JSON {title, summary, link, author, categories, feedTitle}'),
    )
    .addOption(new Option('--title <title>', 'item title'))
    .addOption(new Option('--summary <summary>', 'item summary (with --title)'))
    .addOption(new Option('--feed <file-or-url>', 'match every item of this feed'))
    .option('--json', 'print {"matched", "hits"} (one line per item with --feed)')
    .action(async (opts: MatchOptions) => {
      const { matchCommand } = await import('./commands/match-command.js');
      exitCode = await matchCommand(opts, io);
    });

  program
    .command('check-config')
    .description('validate a config file and summarise what it would poll and deliver')
    .argument('[path]', 'config file (default: $WIREWATCH_CONFIG or config/wirewatch.yaml)')
    .action(async (path: string | undefined) => {
      const { checkConfigCommand } = await import('./commands/check-config-command.js');
      exitCode = await checkConfigCommand(path, io);
    });

  program
    .command('deploy-commands')
    .description(
      'register the slash commands with Discord, globally or to one server (--guild) while developing',
    )
    .option('--guild <id>', 'register to this server only (instant) instead of globally')
    .option('-c, --config <path>', 'config file (default: $WIREWATCH_CONFIG or config/wirewatch.yaml)')
    .action(async (opts: { guild?: string; config?: string }) => {
      const { deployCommandsCommand } = await import('./commands/deploy-commands-command.js');
      exitCode = await deployCommandsCommand(opts, io);
    });

  program
    .command('health')
    .description(
      "ask the running bot's /healthz (or /readyz): exit 0 when healthy, 1 when not (for HEALTHCHECK)",
    )
    .option('--url <url>', 'health server base URL (default: health.host and health.port from the config)')
    .option('--ready', 'ask /readyz (database, Discord, recent poll tick) instead of /healthz')
    .option('-c, --config <path>', 'config file (default: $WIREWATCH_CONFIG or config/wirewatch.yaml)')
    .action(async (opts: HealthOptions) => {
      const { healthCommand } = await import('./commands/health-command.js');
      exitCode = await healthCommand(opts, io);
    });

  program
    .command('status')
    .description(
      'list every feed in the database: status, last success, last error, interval, next poll (read-only)',
    )
    .option('--json', 'print one JSON object {database, failureThreshold, feeds}')
    .option('-c, --config <path>', 'config file (default: $WIREWATCH_CONFIG or config/wirewatch.yaml)')
    .action(async (opts: StatusOptions) => {
      const { statusCommand } = await import('./commands/status-command.js');
      exitCode = await statusCommand(opts, io);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version "fail" with exit code 0 by design.
      return err.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    throw err;
  }
  return exitCode;
}

function isMainModule(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMainModule()) {
  const io: CliIo = {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    env: process.env,
    cwd: process.cwd(),
  };
  runCli(process.argv.slice(2), io).then(
    (code) => {
      // `run` resolves only once it has shut down; exiting here also ends stray keep-alive sockets of one-shot
      // commands. Writes to pipes and files are synchronous on Linux, so no output is cut off.
      process.exit(code);
    },
    (err: unknown) => {
      process.stderr.write(
        `wirewatch: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
      process.exit(1);
    },
  );
}
