export { BUNDLED_CONFIG_PATH, loadConfig, type LoadConfigOptions } from './config-loader.js';
export { ConfigError, type ConfigErrorCode, type ConfigProblem } from './config-error.js';
export { configSecrets, describeDestination, describeSecret, redactConfig } from './config-redaction.js';
export { formatByteSize, formatDuration, parseByteSize, parseDuration } from './config-units.js';
export type {
  ConfigDestination,
  ConfigFeed,
  ConfigWatch,
  LoadedConfig,
  LogLevel,
  WirewatchConfig,
} from './wirewatch-config.js';
