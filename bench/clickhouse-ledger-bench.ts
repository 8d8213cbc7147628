import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@clickhouse/client';
import { ClickHouseLedger, tsvRows } from '../harness/ledger/index.js';
import { createIdBatch, type IdBatch } from '../harness/model/index.js';
import type { StartedLocalServer } from '../harness/stores/index.js';
import { makeIds } from './bench-ids.js';
import { appendAll } from './redis-ledger-bench.js';

/** Result of {@link benchClickHouseLedger}. */
export interface ClickHouseLedgerBenchResult {
  readonly ids: number;
  readonly ledgerIdsPerSecond: number;
  /** `clickhouse-client` inserting the same rows (native protocol, TabSeparated) into the same table shape. */
  readonly clientIdsPerSecond: number;
}

/**
 * Appends `total` IDs (batches of 20 000, 16 in flight as in the gate) to a ClickHouseLedger until ClickHouse
 * acknowledged them all (`flush()`), then inserts the same rows with `clickhouse-client` into a
 * table of the same shape on the same server.
 */
export async function benchClickHouseLedger(server: StartedLocalServer, total: number): Promise<ClickHouseLedgerBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'idgate-bench-ch-'));
  const admin = createClient({ url: server.url });
  try {
    const batches: IdBatch[] = [];
    for (let done = 0, q = 0; done < total; q++, done += 20_000) batches.push(createIdBatch({ batchId: `b${q}`, domain: 'run', ids: makeIds(Math.min(20_000, total - done), q), owners: q % 100 }));
    const ledger = await ClickHouseLedger.open({ url: server.url, runId: 'bench' });
    const t0 = performance.now();
    await appendAll((b) => ledger.append(b), batches);
    // The ledger writes behind: the clock stops when ClickHouse has acknowledged every row.
    await ledger.flush();
    const ledgerS = (performance.now() - t0) / 1000;
    await ledger.close();

    const file = join(dir, 'rows.tsv');
    writeFileSync(file, Buffer.concat([...tsvRows(batches.map((batch, b) => ({ b, batch })))]));
    await admin.command({ query: 'CREATE DATABASE IF NOT EXISTS idgate_bench_client' });
    await admin.command({ query: 'CREATE TABLE idgate_bench_client.ids (b UInt32, domain String, id String, owner UInt32) ENGINE = MergeTree ORDER BY b' });
    const t1 = performance.now();
    const r = spawnSync('sh', ['-c', `clickhouse-client --port ${server.ports[1]} --query 'INSERT INTO idgate_bench_client.ids FORMAT TabSeparated' < ${file}`], { encoding: 'utf8' });
    const clientS = (performance.now() - t1) / 1000;
    if (r.status !== 0) throw new Error(`clickhouse-client failed: ${r.stderr}`);
    return { ids: total, ledgerIdsPerSecond: total / ledgerS, clientIdsPerSecond: total / clientS };
  } finally {
    await admin.command({ query: 'DROP DATABASE IF EXISTS idgate_bench_client' }).catch(() => undefined);
    await admin.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
