import type { Interaction } from 'discord.js';
import type { BotServices, CommandModule, GuildButton } from './command-context.js';
import { canManage, EPHEMERAL, permissionDenied, scopeOf, when } from './command-context.js';
import { MUTE_BUTTON, PAUSE_BUTTON } from './alert-message.js';
import { COMMANDS } from './commands/index.js';

const MUTE_MS = 3600_000;

/**
 * Routes every interaction to its command, autocomplete or button handler. Every managing action is permission-
 * checked here (Manage Server or the server's manager role), and every failure gets an answer: an interaction left
 * unanswered shows the user "The application did not respond".
 */
export function createInteractionRouter(
  services: BotServices,
  commands: readonly CommandModule[] = COMMANDS,
): (interaction: Interaction) => Promise<void> {
  const byName = new Map(commands.map((c) => [c.data.name, c]));
  return async (interaction) => {
    if (!interaction.inCachedGuild()) {
      if (interaction.isRepliable()) {
        await interaction.reply({ content: 'wirewatch works inside servers only.', flags: EPHEMERAL });
      }
      return;
    }
    try {
      if (interaction.isChatInputCommand()) {
        const command = byName.get(interaction.commandName);
        if (!command) {
          await interaction.reply({
            content: 'Unknown command; the bot may be older than its commands.',
            flags: EPHEMERAL,
          });
        } else if (!canManage(interaction, services)) {
          await interaction.reply({
            content: permissionDenied(services, interaction.guildId),
            flags: EPHEMERAL,
          });
        } else {
          await command.execute(interaction, services);
        }
      } else if (interaction.isAutocomplete()) {
        const command = byName.get(interaction.commandName);
        // Names of another server's feeds are never suggested; nor are this server's to someone who may not manage.
        if (command?.autocomplete && canManage(interaction, services))
          await command.autocomplete(interaction, services);
        else await interaction.respond([]);
      } else if (interaction.isButton()) {
        await alertButton(interaction, services);
      }
    } catch (err) {
      services.log.error(
        { err, guildId: interaction.guildId, interaction: interaction.id },
        'interaction handler failed',
      );
      if (!interaction.isRepliable()) return;
      const content = 'Something went wrong on our side; it has been logged. Please try again.';
      await (
        interaction.deferred || interaction.replied
          ? interaction.editReply({ content })
          : interaction.reply({ content, flags: EPHEMERAL })
      ).catch(() => undefined);
    }
  };
}

async function alertButton(interaction: GuildButton, services: BotServices): Promise<void> {
  const id = interaction.customId;
  const isPause = id.startsWith(PAUSE_BUTTON);
  if (!isPause && !id.startsWith(MUTE_BUTTON)) return;
  if (!canManage(interaction, services)) {
    await interaction.reply({ content: permissionDenied(services, interaction.guildId), flags: EPHEMERAL });
    return;
  }
  const watchId = Number(id.slice((isPause ? PAUSE_BUTTON : MUTE_BUTTON).length));
  const scope = scopeOf(interaction.guildId);
  const result = isPause
    ? services.watches.pauseWatch(scope, watchId)
    : services.watches.muteWatch(scope, watchId, new Date(services.clock.now().getTime() + MUTE_MS));
  const content = !result.ok
    ? 'That watch no longer exists in this server.'
    : isPause
      ? `⏸️ Paused \`${result.watch.name}\`. \`/watch resume\` turns it back on.`
      : `🔕 Muted \`${result.watch.name}\` until ${when(result.watch.mutedUntil, 'f')}.`;
  await interaction.reply({ content, flags: EPHEMERAL });
}
