import { randomBytes } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { MemoryLedger } from '../harness/ledger/index.js';
import { createIdBatch } from '../harness/model/index.js';

/** Result of {@link benchMemoryLedger}. */
export interface MemoryLedgerBenchResult {
  readonly ids: number;
  readonly idsPerSecond: number;
  /** Heap + array-buffer growth per ID after a full GC, ledger still alive. */
  readonly bytesPerId: number;
  readonly seconds: number;
}

/** Makes `n` IDs shaped like `run_<ms>_<26 hex>` (bulk random bytes, one hex slice per ID). */
export function makeIds(n: number, seq: number): string[] {
  const hex = randomBytes(13 * n).toString('hex');
  const ms = String(1_700_000_000_000 + seq);
  const ids = new Array<string>(n);
  for (let i = 0; i < n; i++) ids[i] = `run_${ms}_${hex.slice(i * 26, i * 26 + 26)}`;
  return ids;
}

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
