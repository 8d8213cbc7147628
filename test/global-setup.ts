import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { startStores, type StoreProviderName } from '../harness/stores/index.js';

/** What the global setup hands to tests through `inject('stores')`. */
export interface ProvidedStores {
  readonly redisUrl: string;
  readonly clickhouseUrl: string;
  /** `local`, `container` or `url`: which provider served them. */
  readonly provider: string;
  /** Labels the containers of this run (`idgate.run=<runId>`). */
  readonly runId: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    stores: ProvidedStores;
    /** Set in a project's `provide` to choose its stores' provider; otherwise IDGATE_STORES or auto. */
    storesProvider: StoreProviderName | 'auto';
  }
}

/**
 * Starts real Redis and ClickHouse once per test project and stops them when it ends. The
 * provider is the project's `provide.storesProvider` (the `containers` project sets `container`),
 * else IDGATE_STORES, else automatic (URLs from IDGATE_REDIS_URL / IDGATE_CLICKHOUSE_URL, a
 * Docker engine, or local Debian servers).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const provider = project.config.provide?.storesProvider;
  const t0 = performance.now();
  const stores = await startStores({ provider, log: (line) => process.stderr.write(`${line}\n`) });
  const redis = stores.endpoint('redis');
  const clickhouse = stores.endpoint('clickhouse');
  process.stderr.write(`idgate: ${project.name || 'tests'}: stores (${redis.provider}) ready in ${Math.round(performance.now() - t0)} ms\n`);
  project.provide('stores', { redisUrl: redis.url, clickhouseUrl: clickhouse.url, provider: redis.provider, runId: stores.runId });
  return async () => {
    await stores.stop();
  };
}
