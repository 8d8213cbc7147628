export { CLICKHOUSE_MAX_MEMORY_USAGE, clickhouseRecipe, pingClickHouse } from './clickhouse-recipe.js';
export { ensureBinary, findBinary } from './ensure-binary.js';
export { freePort } from './free-port.js';
export { LocalServer, StartedLocalServer, StoppedLocalServer } from './local-server.js';
export { reaperPid } from './reaper.js';
export { redactUrl } from './redact-url.js';
export { pingRedis, redisRecipe } from './redis-recipe.js';
export { StartedStores, StoppedStores, startStores } from './start-stores.js';

export type { EnsureBinaryOptions, RequiredBinary } from './ensure-binary.js';
export type { LocalServerRecipe, LocalServerStartOptions } from './local-server.js';
export type { StartStoresOptions, StoreEndpoint, StoreName, StoreProviderName } from './start-stores.js';
