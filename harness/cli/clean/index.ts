export { cleanClickHouse } from './clean-clickhouse.js';
export { cleanCommand, runClean } from './clean-command.js';
export { cleanContainers } from './clean-containers.js';
export { cleanRedis } from './clean-redis.js';
export { RUN_ID_PATTERN } from './leftover.js';

export type { CleanClickHouseOptions } from './clean-clickhouse.js';
export type { CleanRedisOptions } from './clean-redis.js';
export type { CleanOutcome, Leftover } from './leftover.js';
