export { ConfigError } from './config-error.js';
export { defineConfig } from './idgate-config.js';
export { CONFIG_FILE_NAMES, loadConfig } from './load-config.js';
export { configCatalog, validateConfig } from './validate-config.js';

export type { AuditConfig, ConfigProfileName, IdgateConfig, IdgateThresholds, ProfileOverrides } from './idgate-config.js';
export type { LoadConfigOptions, LoadedConfig } from './load-config.js';
