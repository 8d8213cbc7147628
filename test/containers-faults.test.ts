import { describe, expect, it } from 'vitest';
import { ClickHouseLedger, LedgerSet, MemoryLedger, RedisLedger, type Ledger } from '../harness/ledger/index.js';
import { createIdBatch, exitCodeFor, ExitCode, InfrastructureError, type IdBatch } from '../harness/model/index.js';
import { acquireContainerRuntime, dockerApi, startStores, type StoreEndpoint, type StoreName } from '../harness/stores/index.js';

function batch(id: string, n: number): IdBatch {
  return createIdBatch({ batchId: id, domain: 'run', ids: Array.from({ length: n }, (_, i) => `${id}_${i}`), owners: 1 });
}

/** Kills a container through the engine's API (SIGKILL), as an OOM killer or `docker kill` would. */
async function killContainer(id: string): Promise<void> {
  const lease = await acquireContainerRuntime();
  try {
    await dockerApi(lease.client).getContainer(id).kill({ signal: 'SIGKILL' });
  } finally {
    await lease.release();
  }
}

/**
 * Starts `name` in a container of its own, appends acknowledged batches, kills the container
 * while a big batch is being written, and checks that the ledger fails with InfrastructureError
 * and the run ends with an infrastructure finding (exit 3), never a pass.
 */
async function killMidRun(name: StoreName, open: (ep: StoreEndpoint) => Promise<Ledger>, bigRows: number): Promise<void> {
  const stores = await startStores({ provider: 'container', stores: [name] });
  try {
    const ep = stores.endpoint(name);
    expect(ep.provider).toBe('container');
    const store = await open(ep);
    const set = new LedgerSet([new MemoryLedger(), store]);
    try {
      for (let i = 0; i < 3; i++) await set.append(batch(`ok${i}`, 1000));
      await set.flush();
      expect(set.acknowledged(store.kind)).toBe(3000);
      const big = set.append(batch('big', bigRows));
      await new Promise((r) => setTimeout(r, 200));
      const killedAt = Date.now();
      await killContainer(ep.containerId!);
      await big;
      // Redis refuses the append itself; the ClickHouse ledger took it into its write buffer, so
      // the refused insert shows at the flush.
      await set.flush();
      expect(set.failed).toBe(true);
      expect(set.acknowledged(store.kind)).toBe(3000);
      await expect(store.append(batch('after', 10))).rejects.toBeInstanceOf(InfrastructureError);
      const { findings } = await set.verify();
      expect(Date.now() - killedAt).toBeLessThan(15_000);
      const infra = findings.filter((f) => f.kind === 'infrastructure');
      expect(infra).toHaveLength(1);
      expect(infra[0]!.evidence).toMatchObject({ ledger: store.kind, acknowledged: 3000 });
      expect(exitCodeFor(findings)).toBe(ExitCode.Infrastructure);
    } finally {
      await set.close().catch(() => undefined);
    }
  } finally {
    await stores.stop();
  }
}

describe('a store container killed mid-run', () => {
  it('Redis: the ledgers report an infrastructure error (exit 3)', async () => {
    await killMidRun('redis', (ep) => RedisLedger.open({ url: ep.url, connectTimeoutMs: 1000, commandTimeoutMs: 5000 }), 400_000);
  }, 60_000);

  it('ClickHouse: the ledgers report an infrastructure error (exit 3)', async () => {
    await killMidRun('clickhouse', (ep) => ClickHouseLedger.open({ url: ep.url, requestTimeoutMs: 5000 }), 2_000_000);
  }, 90_000);
});
