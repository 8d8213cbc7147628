import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { startStores } from '../harness/stores/index.js';

/** What the global setup hands to tests through `inject('stores')`. */
export interface ProvidedStores {
  readonly redisUrl: string;
  readonly clickhouseUrl: string;
  /** `local` or `url`: which provider served them. */
  readonly provider: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    stores: ProvidedStores;
  }
}

/**
 * Starts real Redis and ClickHouse once per test run (local Debian servers, or the servers
 * named by IDGATE_REDIS_URL / IDGATE_CLICKHOUSE_URL) and stops them when the run ends.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stores = await startStores({ log: (line) => process.stderr.write(`${line}\n`) });
  const redis = stores.endpoint('redis');
  const clickhouse = stores.endpoint('clickhouse');
  project.provide('stores', { redisUrl: redis.url, clickhouseUrl: clickhouse.url, provider: redis.provider });
  return async () => {
    await stores.stop();
  };
}
