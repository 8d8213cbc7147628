import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { LEDGER_IN_FLIGHT } from '../harness/cli/run-gate.js';
import { RedisLedger } from '../harness/ledger/index.js';
import { createIdBatch, type IdBatch } from '../harness/model/index.js';
import type { StartedLocalServer } from '../harness/stores/index.js';
import { makeIds, processCpuSeconds } from './bench-ids.js';

/** Result of {@link benchRedisLedger}. */
export interface RedisLedgerBenchResult {
  readonly ids: number;
  readonly ledgerIdsPerSecond: number;
  /** `redis-cli --pipe` replaying the exact command stream the ledger sent, into the same server. */
  readonly pipeIdsPerSecond: number;
  /** Redis CPU per ID (µs) during the ledger's run and during the replay. */
  readonly ledgerRedisCpuUs: number;
  readonly pipeRedisCpuUs: number;
  /** redis-benchmark `-P 64 -t sadd`, single-member SADDs per second, for orientation. */
  readonly benchmarkSaddPerSecond: number;
  /** Redis `used_memory` growth per ID with the ledger's keys in place. */
  readonly redisBytesPerId: number;
}

async function usedMemory(r: Redis): Promise<number> {
  return Number(/used_memory:(\d+)/.exec(await r.info('memory'))![1]);
}

/** Appends `batches` to a ledger, `inFlight` at a time: by default as the gate and shards do. */
export async function appendAll(append: (b: IdBatch) => Promise<void>, batches: readonly IdBatch[], inFlight = LEDGER_IN_FLIGHT): Promise<void> {
  const pending = new Set<Promise<void>>();
  for (const b of batches) {
    const p = append(b).finally(() => pending.delete(p));
    pending.add(p);
    if (pending.size >= inFlight) await Promise.race(pending);
  }
  await Promise.all(pending);
}

/**
 * Appends `total` IDs (batches of 20 000, 16 in flight as in the gate) to a RedisLedger recording its command
 * stream, deletes the keys, then replays the stream with `redis-cli --pipe` into the same server:
 * the same work, fed by Redis's own tool.
 */
export async function benchRedisLedger(server: StartedLocalServer, total: number): Promise<RedisLedgerBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'idgate-bench-redis-'));
  const admin = new Redis(server.url);
  try {
    const stream = join(dir, 'ledger.resp');
    const batches: IdBatch[] = [];
    for (let done = 0, q = 0; done < total; q++, done += 20_000) batches.push(createIdBatch({ batchId: `b${q}`, domain: 'run', ids: makeIds(Math.min(20_000, total - done), q), owners: q % 100 }));
    await admin.flushall();
    const m0 = await usedMemory(admin);
    const ledger = await RedisLedger.open({ url: server.url, runId: 'bench', expectedIds: total, recordRespTo: stream });
    const c0 = processCpuSeconds(server.pid);
    const t0 = performance.now();
    await appendAll((b) => ledger.append(b), batches);
    const ledgerS = (performance.now() - t0) / 1000;
    const ledgerCpu = processCpuSeconds(server.pid) - c0;
    const bytes = (await usedMemory(admin)) - m0;
    await ledger.close();
    await admin.flushall();

    const c1 = processCpuSeconds(server.pid);
    const t1 = performance.now();
    const pipe = spawnSync('sh', ['-c', `redis-cli -p ${server.ports[0]} --pipe < ${stream}`], { encoding: 'utf8' });
    const pipeS = (performance.now() - t1) / 1000;
    const pipeCpu = processCpuSeconds(server.pid) - c1;
    if (pipe.status !== 0 || !/errors: 0,/.test(pipe.stdout)) throw new Error(`redis-cli --pipe failed: ${pipe.stdout} ${pipe.stderr} (${statSync(stream).size} bytes)`);
    await admin.flushall();

    const bench = execFileSync('redis-benchmark', ['-p', String(server.ports[0]), '-P', '64', '-t', 'sadd', '-n', '1000000', '-q'], { encoding: 'utf8' });
    const sadd = Number(/SADD: ([\d.]+) requests per second/.exec(bench)?.[1] ?? Number.NaN);
    await admin.flushall();
    return {
      ids: total,
      ledgerIdsPerSecond: total / ledgerS,
      pipeIdsPerSecond: total / pipeS,
      ledgerRedisCpuUs: (ledgerCpu * 1e6) / total,
      pipeRedisCpuUs: (pipeCpu * 1e6) / total,
      benchmarkSaddPerSecond: sadd,
      redisBytesPerId: bytes / total,
    };
  } finally {
    admin.disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}
