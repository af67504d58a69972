import type { CommandModule } from '../command-context.js';
import { feedCommand } from './feed-command.js';
import { watchCommand } from './watch-command.js';
import { wirewatchCommand } from './wirewatch-command.js';

/** Every slash command of the bot, as registered by `wirewatch deploy-commands`. */
export const COMMANDS: readonly CommandModule[] = [feedCommand, watchCommand, wirewatchCommand];
