import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { MemoryLedger } from '../harness/ledger/index.js';
import { createIdBatch } from '../harness/model/index.js';
import { makeIds } from './bench-ids.js';

/** Result of {@link benchMemoryLedger}. */
export interface MemoryLedgerBenchResult {
  readonly ids: number;
  readonly idsPerSecond: number;
  /** Heap + array-buffer growth per ID after a full GC, ledger still alive. */
  readonly bytesPerId: number;
  readonly seconds: number;
}

export { makeIds };

// A full GC is needed to measure what the ledger keeps; expose it even without --expose-gc.
setFlagsFromString('--expose-gc');
const fullGc = runInNewContext('gc') as () => void;

function gc(): void {
  fullGc();
  fullGc();
}

function used(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/**
 * Appends `total` IDs in batches of `batchSize` to a fresh memory ledger, timing only the
 * appends (generation is outside the clock), then measures memory growth with the ledger alive.
 */
export function benchMemoryLedger(total: number, batchSize = 50_000): MemoryLedgerBenchResult {
  gc();
  const before = used();
  const ledger = new MemoryLedger();
  let ns = 0n;
  for (let done = 0, seq = 0; done < total; seq++) {
    const n = Math.min(batchSize, total - done);
    const batch = createIdBatch({ batchId: `b${seq}`, domain: 'run', ids: makeIds(n, seq), owners: seq % 100 });
    const t0 = process.hrtime.bigint();
    ledger.appendSync(batch);
    ns += process.hrtime.bigint() - t0;
    done += n;
  }
  gc();
  const after = used();
  const seconds = Number(ns) / 1e9;
  const result = { ids: total, idsPerSecond: total / seconds, bytesPerId: (after - before) / total, seconds };
  void ledger.close();
  return result;
}

/**
 * The naive reference: the same IDs, batches and clock added to a plain `Set<string>` (what a
 * ledger without fingerprints and arena would do), with its memory per ID.
 */
export function benchStringSet(total: number, batchSize = 50_000): MemoryLedgerBenchResult {
  gc();
  const before = used();
  const set = new Set<string>();
  let ns = 0n;
  for (let done = 0, seq = 0; done < total; seq++) {
    const n = Math.min(batchSize, total - done);
    const ids = makeIds(n, seq);
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) set.add(ids[i]!);
    ns += process.hrtime.bigint() - t0;
    done += n;
  }
  gc();
  const after = used();
  const seconds = Number(ns) / 1e9;
  const result = { ids: total, idsPerSecond: total / seconds, bytesPerId: (after - before) / total, seconds };
  set.clear();
  return result;
}
