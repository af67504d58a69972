import type { ConfigDestination, WirewatchConfig } from './wirewatch-config.js';

const HIDDEN = '[hidden]';

/** How to show a destination to people: the kind, and where a webhook URL came from, never the URL itself. */
export function describeDestination(destination: ConfigDestination): string {
  if (destination.type === 'console') return 'console';
  return `discord-webhook (URL from ${destination.urlSource}, hidden)`;
}

/** "set, hidden" or "not set": how to mention a secret that may or may not be configured. */
export function describeSecret(value: string | null | undefined): string {
  return value ? 'set, hidden' : 'not set';
}

/** A copy safe to log or print: the token and webhook URLs replaced by "[hidden]". */
export function redactConfig(config: WirewatchConfig): WirewatchConfig {
  return {
    ...config,
    discord: { ...config.discord, token: config.discord.token === null ? null : HIDDEN },
    destinations: config.destinations.map((destination) =>
      destination.type === 'discord-webhook' ? { ...destination, url: HIDDEN } : { ...destination },
    ),
  };
}

/** Every secret value in the config, for a logger that scrubs them from any text it writes. */
export function configSecrets(config: WirewatchConfig): string[] {
  const secrets = config.destinations.flatMap((destination) =>
    destination.type === 'discord-webhook' ? [destination.url] : [],
  );
  if (config.discord.token !== null) secrets.push(config.discord.token);
  return secrets;
}
