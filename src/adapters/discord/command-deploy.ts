import { REST, Routes } from 'discord.js';
import { COMMANDS } from './commands/index.js';

export interface DeployOptions {
  /** A secret: never logged. */
  token: string;
  apiBase: string | null;
  /** Register to one server (instant, for development); globally when absent. */
  guildId?: string;
}

/**
 * Registers the slash commands once (a bulk overwrite, so removed commands disappear). The bot itself never does this
 * on start: registration is rate-limited and global changes take a while to reach every server.
 */
export async function deployCommands(
  options: DeployOptions,
): Promise<{ applicationId: string; names: string[] }> {
  const rest = new REST(options.apiBase ? { api: options.apiBase } : {}).setToken(options.token);
  const app = (await rest.get(Routes.currentApplication())) as { id: string };
  const route = options.guildId
    ? Routes.applicationGuildCommands(app.id, options.guildId)
    : Routes.applicationCommands(app.id);
  const saved = (await rest.put(route, { body: COMMANDS.map((c) => c.data) })) as Array<{ name: string }>;
  return { applicationId: app.id, names: saved.map((c) => c.name) };
}
