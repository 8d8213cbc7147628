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
  return measureIngest(total, batchSize, () => {
    // Sized for the IDs to come, as the gate sizes it from its profile: growing the table on the
    // way costs 15–40 % of the ingest time.
    const ledger = new MemoryLedger({ expectedIds: total });
    return {
      prepare: (ids, seq) => createIdBatch({ batchId: `b${seq}`, domain: 'run', ids, owners: seq % 100 }),
      ingest: (batch) => ledger.appendSync(batch),
      release: () => void ledger.close(),
    };
  });
}

/**
 * The naive reference: the same IDs, batches and clock added to a plain `Set<string>` (what a
 * ledger without fingerprints and arena would do), with its memory per ID.
 */
export function benchStringSet(total: number, batchSize = 50_000): MemoryLedgerBenchResult {
  return measureIngest(total, batchSize, () => {
    const set = new Set<string>();
    return {
      prepare: (ids) => ids,
      ingest: (ids) => {
        for (const id of ids) set.add(id);
      },
      release: () => set.clear(),
    };
  });
}

/** What one measured structure does with each batch; see {@link measureIngest}. */
interface IngestSubject<T> {
  /** Turns generated IDs into what `ingest` takes; outside the clock. */
  prepare(ids: string[], seq: number): T;
  /** The timed part. */
  ingest(prepared: T): void;
  /** Frees the structure once memory has been read. */
  release(): void;
}

/**
 * One measurement loop for both: memory is read after a full GC before `open` creates the
 * structure and again with it still alive, so everything it allocates counts; only `ingest`
 * is timed.
 */
function measureIngest<T>(total: number, batchSize: number, open: () => IngestSubject<T>): MemoryLedgerBenchResult {
  gc();
  const before = used();
  const subject = open();
  let ns = 0n;
  for (let done = 0, seq = 0; done < total; seq++) {
    const n = Math.min(batchSize, total - done);
    const prepared = subject.prepare(makeIds(n, seq), seq);
    const t0 = process.hrtime.bigint();
    subject.ingest(prepared);
    ns += process.hrtime.bigint() - t0;
    done += n;
  }
  gc();
  const after = used();
  const seconds = Number(ns) / 1e9;
  const result = { ids: total, idsPerSecond: total / seconds, bytesPerId: (after - before) / total, seconds };
  subject.release();
  return result;
}
