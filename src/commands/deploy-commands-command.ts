import { DiscordAPIError } from 'discord.js';
import { deployCommands } from '../adapters/discord/command-deploy.js';
import { ConfigError, loadConfig } from '../config/index.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliIo } from './cli-io.js';

export interface DeployCommandsOptions {
  guild?: string;
  config?: string;
}

/** `wirewatch deploy-commands [--guild ID]`: registers the slash commands globally or to one server. */
export async function deployCommandsCommand(opts: DeployCommandsOptions, io: CliIo): Promise<number> {
  let config;
  try {
    config = loadConfig({ path: opts.config, env: io.env, cwd: io.cwd }).config;
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr(`${err.message}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
  if (!config.discord.token) {
    io.stderr('deploy-commands needs the bot token: set DISCORD_TOKEN (or discord.token in the config).\n');
    return EXIT_USAGE;
  }
  if (opts.guild !== undefined && !/^\d{17,20}$/.test(opts.guild)) {
    io.stderr(`--guild expects a server id (17 to 20 digits), not "${opts.guild}".\n`);
    return EXIT_USAGE;
  }
  try {
    const { names } = await deployCommands({
      token: config.discord.token,
      apiBase: config.discord.apiBase,
      ...(opts.guild ? { guildId: opts.guild } : {}),
    });
    const where = opts.guild
      ? `to server ${opts.guild} (available now)`
      : 'globally (may take a while to appear)';
    io.stdout(`Registered ${names.length} commands ${where}: ${names.map((n) => `/${n}`).join(', ')}\n`);
    return EXIT_OK;
  } catch (err) {
    const reason =
      err instanceof DiscordAPIError
        ? `Discord answered ${err.status}: ${err.message}`
        : err instanceof Error
          ? err.message
          : String(err);
    io.stderr(`Could not register the commands: ${reason}\n`);
    return EXIT_FAILURE;
  }
}
