/**
 * Palisade configuration: YAML file plus `PALISADE_*` environment overrides, validated against one
 * schema at start-up (and by `palisade check-config`). See docs/configuration.md.
 */
export { ConfigError, type ConfigErrorCode, type ConfigIssue } from './config-error';
export { loadConfig, defaultConfig, type LoadConfigOptions } from './load';
export { redactConfig, REDACTED } from './redact';
export { pinEnvironment } from './pinned-environment';
export { CONFIG_FILE_VARIABLE, ENV_PREFIX } from './env-overrides';
export { QUICKSTART_YAML } from './defaults';
export type {
  Config,
  EngineConfig,
  ListenerConfig,
  MediaConfig,
  NatConfig,
  RouteConfig,
  StateConfig,
  TrunkConfig,
} from './schema/root';
export { LOG_LEVELS } from './schema/root';
export { parseHostPort, statusInRanges, isLoopback, type HostPort } from './validators';
