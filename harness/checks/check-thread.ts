import type { Worker } from 'node:worker_threads';
import { InfrastructureError, startModuleWorker, type Finding } from '../model/index.js';
import { validateCheckNames, type CheckContextData, type CheckResults, type CheckRunner } from './check-runner.js';
import { packObserved, type PackedObservedBatch } from './observed-wire.js';

/** Options of {@link startCheckThread}. */
export interface CheckThreadOptions {
  /** Batches handed over and not yet checked before `observe` waits. Default: 8. */
  readonly maxQueued?: number;
  /** How long `observe` or `finish` waits for the thread to make progress before it fails. Default: 300 000 ms. */
  readonly stallTimeoutMs?: number;
}

/** Main thread → check thread. */
export type CheckThreadRequest = { readonly type: 'batch'; readonly observed: PackedObservedBatch } | { readonly type: 'finish' };

/** Check thread → main thread. */
export type CheckThreadReply =
  | { readonly type: 'ack' }
  | { readonly type: 'result'; readonly findings: readonly (readonly [string, readonly Finding[]])[]; readonly tables: Record<string, readonly unknown[]> }
  | { readonly type: 'error'; readonly message: string };

/** What the thread is started with (`workerData`). */
export interface CheckThreadData {
  readonly names: readonly string[];
  readonly context: CheckContextData;
}

function failure(message: string, cause?: unknown): InfrastructureError {
  return new InfrastructureError('IDGATE_CHECK_THREAD_FAILED', `check thread: ${message}`, 'the checks did not finish, so the run proves nothing; rerun, and report it as an idgate bug if it repeats', cause === undefined ? undefined : { cause });
}

/**
 * Runs the checks named `names` in a worker thread, so that checking (parsing every ID, the
 * per-position entropy counts) runs on the second core while the main thread mints and feeds the
 * ledgers. Batches are copied to the thread (packed, see {@link packObserved}) and checked in
 * the order given; at most `maxQueued` wait there, so memory stays flat. A check that throws, a thread that dies,
 * or one that makes no progress for `stallTimeoutMs` rejects `observe`/`finish` with an
 * {@link InfrastructureError} — never a pass.
 */
export function startCheckThread(names: readonly string[], context: CheckContextData, options: CheckThreadOptions = {}): CheckRunner {
  validateCheckNames(names, 'startCheckThread');
  const maxQueued = options.maxQueued ?? 8;
  const stallMs = options.stallTimeoutMs ?? 300_000;
  if (!Number.isInteger(maxQueued) || maxQueued < 1) throw new RangeError(`startCheckThread: maxQueued must be a whole number ≥ 1, got ${maxQueued}`);
  const worker: Worker = startModuleWorker(import.meta.url, './check-worker', { workerData: { names, context } satisfies CheckThreadData });
  let queued = 0;
  let failed: InfrastructureError | undefined;
  let closed = false;
  let waiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
  let result: { resolve: (r: CheckResults) => void; reject: (e: Error) => void } | undefined;

  const fail = (e: InfrastructureError) => {
    failed ??= e;
    for (const w of waiters) w.reject(failed);
    waiters = [];
    result?.reject(failed);
    result = undefined;
  };
  worker.on('message', (reply: CheckThreadReply) => {
    if (reply.type === 'ack') {
      queued--;
      const w = waiters.shift();
      w?.resolve();
    } else if (reply.type === 'result') {
      result?.resolve({ findings: new Map(reply.findings), tables: reply.tables });
      result = undefined;
    } else fail(failure(reply.message));
  });
  worker.on('error', (e) => fail(failure(`a check threw: ${e.message}`, e)));
  worker.on('exit', (code) => {
    if (!closed) fail(failure(`the thread exited (code ${code}) before the run finished`));
  });

  /** Waits for `ready`, failing if the thread shows no progress for `stallMs`. */
  const bounded = <T>(what: string, start: (resolve: (v: T) => void, reject: (e: Error) => void) => void): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => fail(failure(`no progress for ${stallMs} ms while ${what}`)), stallMs);
      start(
        (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        (e) => {
          clearTimeout(timer);
          reject(e);
        },
      );
    });

  return {
    async observe(observed) {
      if (failed !== undefined) throw failed;
      worker.postMessage({ type: 'batch', observed: packObserved(observed, context.users) } satisfies CheckThreadRequest);
      queued++;
      if (queued <= maxQueued) return;
      await bounded<void>('waiting for a batch to be checked', (resolve, reject) => waiters.push({ resolve, reject }));
    },
    finish() {
      if (failed !== undefined) return Promise.reject(failed);
      return bounded<CheckResults>('waiting for the checks to report', (resolve, reject) => {
        result = { resolve, reject };
        worker.postMessage({ type: 'finish' } satisfies CheckThreadRequest);
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      await worker.terminate();
    },
  };
}
