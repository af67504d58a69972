import { HealthServerError } from '../adapters/health-server.js';
import { SchemaTooNewError } from '../adapters/sqlite/store-errors.js';
import { ConfigError, loadConfig } from '../config/index.js';
import { createRuntime } from '../runtime.js';
import { VERSION } from '../version.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliIo } from './cli-io.js';

/** `wirewatch run`: the bot, until SIGINT or SIGTERM. */
export async function runCommand(opts: { config?: string }, io: CliIo): Promise<number> {
  let loaded;
  try {
    loaded = loadConfig({ path: opts.config, env: io.env, cwd: io.cwd });
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr(`${err.message}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
  const { config } = loaded;
  let runtime;
  try {
    runtime = createRuntime(config, { write: io.stdout, prettyLogs: process.stdout.isTTY === true });
  } catch (err) {
    // The database could not be opened: a newer schema, or a data directory that is not writable. Say which file
    // and what to do, rather than a stack trace.
    if (err instanceof SchemaTooNewError) {
      io.stderr(`wirewatch: ${err.message}\n`);
      return EXIT_FAILURE;
    }
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && /^(E[A-Z]+|SQLITE_)/.test(code)) {
      io.stderr(
        `wirewatch: cannot open the database ${config.databasePath} (${code}: ${(err as Error).message}); ` +
          'check that the data directory (dataDir or WIREWATCH_DATA_DIR) exists or can be created and is writable\n',
      );
      return EXIT_FAILURE;
    }
    throw err;
  }
  let health;
  try {
    health = await runtime.startHealthServer();
  } catch (err) {
    if (!(err instanceof HealthServerError)) throw err;
    runtime.log.error(
      { code: err.code },
      `${err.message} (set health.port to a free port, or 0 to turn it off)`,
    );
    await runtime.close();
    return EXIT_FAILURE;
  }
  runtime.log.info(
    {
      version: VERSION,
      config: loaded.embedded ? 'embedded defaults' : loaded.path,
      envOverrides: loaded.envOverrides,
      dataDir: config.dataDir,
      feeds: config.feeds.length,
      watches: config.watches.length,
      destinations: config.destinations.map((d) => `${d.name} (${d.type})`),
      discordBot: config.discord.enabled,
      health: health ? `${health.url} (/healthz, /readyz, /metrics)` : 'off',
    },
    'wirewatch starting',
  );
  if (runtime.discord) {
    try {
      // Before polling starts: alerts queued for Discord channels need the logged-in client.
      await runtime.discord.start();
    } catch (err) {
      runtime.log.error(
        { err: err instanceof Error ? { name: err.name, message: err.message } : String(err) },
        'could not log in to Discord (check DISCORD_TOKEN and discord.apiBase)',
      );
      await runtime.close();
      return EXIT_FAILURE;
    }
  }
  await runtime.app.start();
  await new Promise<void>((resolve) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      signals++;
      if (signals > 1) {
        // A second Ctrl-C means "now": the outbox keeps whatever was not delivered.
        runtime.log.warn({ signal }, 'second signal: exiting immediately');
        process.exit(EXIT_FAILURE);
      }
      runtime.log.info({ signal }, 'shutting down');
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  await runtime.close();
  runtime.log.info({}, 'stopped');
  return EXIT_OK;
}
