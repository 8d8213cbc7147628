import { existsSync } from 'node:fs';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { startModuleWorker, UsageError } from '../model/index.js';
import { describeError } from './bounded-wait.js';
import { resolveTimeouts, type StartedTarget, type TargetOutcome, type TargetTimeouts } from './started-target.js';
import { targetFailure } from './target-failure.js';
import type { TargetRequest } from './target-request.js';
import { TargetSession } from './target-session.js';
import type { TargetTransport, TransportReply } from './target-transport.js';
import type { WorkerHello, WorkerReply, WorkerRequest, WorkerStartData } from './worker-messages.js';
import { packStrings, transferablesOf, unpackStrings } from './worker-string-pack.js';

/** Options of {@link WorkerThreadTarget}. */
export interface WorkerThreadTargetOptions {
  /** A module path (relative to the working directory) or file URL exporting a target factory. */
  readonly module: string;
  /** The export holding the factory. Default `createTarget`, then the default export. */
  readonly exportName?: string;
  /** Passed to the factory, and named in findings (`worker thread 1`). Default 0. */
  readonly worker?: number;
  /** Passed to the factory (cloned into the thread). Default `{}`. */
  readonly options?: Readonly<Record<string, unknown>>;
  /** Default: the target's own `name`. */
  readonly name?: string;
  /** Bounds on every wait. Defaults: see {@link TargetTimeouts}. */
  readonly timeouts?: TargetTimeouts;
}

type Failure = Extract<TransportReply, { ok: false }>;

function encode(id: number, request: TargetRequest): { message: WorkerRequest; transfer: ArrayBuffer[] } {
  if (request.call === 'validate' || request.call === 'parse') {
    const { ids, ...rest } = request;
    const packed = packStrings(ids);
    // The harness only sends IDs a target minted and the session checked to be strings.
    if (packed === undefined) throw new UsageError('IDGATE_BAD_IDS', `WorkerThreadTarget: ${request.call} got IDs that are not well-formed strings`, 'pass the strings the target minted');
    return { message: { type: 'call', id, request: rest, ids: packed }, transfer: transferablesOf(packed) };
  }
  return { message: { type: 'call', id, request }, transfer: [] };
}

class ThreadTransport implements TargetTransport {
  readonly #thread: Worker;
  readonly #label: string;
  readonly #pending = new Map<number, { resolve: (r: TransportReply) => void; timer: NodeJS.Timeout }>();
  readonly #exited: Promise<number>;
  #hello: ((h: WorkerHello | Failure) => void) | undefined;
  #closed: ((r: Extract<WorkerReply, { type: 'closed' }>) => void) | undefined;
  #dead: Failure | undefined;
  #stopping = false;
  #started = false;

  constructor(thread: Worker, worker: number) {
    this.#thread = thread;
    this.#label = `worker thread ${worker}`;
    thread.on('message', (m: WorkerHello | WorkerReply) => this.#onMessage(m));
    thread.on('messageerror', (e) => this.#die({ ok: false, rule: 'garbage', what: `${this.#label} sent a message that cannot be read (${describeError(e)})`, evidence: this.#evidence(), fatal: true }));
    thread.on('error', (e) => this.#die({ ok: false, rule: 'crash', what: `${this.#label} threw ${describeError(e)}`, evidence: this.#evidence({ error: describeError(e) }), fatal: true }));
    this.#exited = new Promise((resolve) => {
      thread.on('exit', (code) => {
        resolve(code);
        // Node's exit code 13: the thread's top-level await (the factory) can never settle.
        const why = code === 13 ? ' (a promise it awaited could never settle)' : '';
        if (!this.#stopping && (this.#started || this.#hello !== undefined)) this.#die({ ok: false, rule: 'crash', what: `${this.#label} exited with code ${code}${why}`, evidence: this.#evidence({ exitCode: code }), fatal: true });
      });
    });
  }

  #evidence(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { thread: this.#label, threadId: this.#thread.threadId, ...extra };
  }

  #onMessage(m: WorkerHello | WorkerReply): void {
    if (this.#dead) return;
    if (m.type === 'hello' || m.type === 'start-failed') {
      const h = this.#hello;
      this.#hello = undefined;
      this.#started = m.type === 'hello';
      h?.(m);
      return;
    }
    if (m.type === 'closed') {
      this.#closed?.(m);
      return;
    }
    const entry = this.#pending.get(m.id);
    if (entry === undefined) {
      this.#die({ ok: false, rule: 'garbage', what: `${this.#label} answered request #${m.id}, which is not pending`, evidence: this.#evidence(), fatal: true });
      return;
    }
    this.#pending.delete(m.id);
    clearTimeout(entry.timer);
    if (!m.ok) return entry.resolve({ ok: false, rule: 'error', what: `answered an error in ${this.#label}: ${m.error}`, fatal: false });
    if ('strings' in m) {
      try {
        return entry.resolve({ ok: true, value: unpackStrings(m.strings) });
      } catch (error) {
        return entry.resolve({ ok: false, rule: 'garbage', what: `${this.#label} sent a batch that does not unpack (${describeError(error)})`, fatal: true });
      }
    }
    entry.resolve({ ok: true, value: 'booleans' in m ? Array.from(m.booleans, (b) => b === 1) : m.value });
  }

  /** Marks the thread unusable, terminates it and fails every waiting request with `failure`. */
  #die(failure: Failure): void {
    if (this.#dead) return;
    this.#dead = failure;
    void this.#thread.terminate();
    const h = this.#hello;
    this.#hello = undefined;
    h?.(failure);
    for (const [, entry] of this.#pending) {
      clearTimeout(entry.timer);
      entry.resolve(failure);
    }
    this.#pending.clear();
  }

  /** Waits for the thread's hello, at most `timeoutMs`. */
  hello(timeoutMs: number): Promise<WorkerHello | Failure> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.#die({ ok: false, rule: 'hang', what: `${this.#label} did not create the target within ${timeoutMs} ms`, evidence: this.#evidence({ timeoutMs }), fatal: true }), timeoutMs);
      this.#hello = (h) => {
        clearTimeout(timer);
        resolve(h);
      };
      if (this.#dead) this.#hello(this.#dead);
    });
  }

  request(id: number, request: TargetRequest, timeoutMs: number): Promise<TransportReply> {
    if (this.#dead) return Promise.resolve(this.#dead);
    const { message, transfer } = encode(id, request);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        resolve({ ok: false, rule: 'hang', what: `${this.#label} did not answer within ${timeoutMs} ms`, evidence: this.#evidence({ timeoutMs }), fatal: true });
        this.#die({ ok: false, rule: 'hang', what: `${this.#label} was terminated because request #${id} got no answer within ${timeoutMs} ms`, evidence: this.#evidence(), fatal: true });
      }, timeoutMs);
      this.#pending.set(id, { resolve, timer });
      this.#thread.postMessage(message, transfer);
    });
  }

  async stop(timeoutMs: number): Promise<TransportReply> {
    this.#stopping = true;
    if (this.#dead) {
      await this.#thread.terminate();
      return { ok: true, value: undefined };
    }
    let timer: NodeJS.Timeout | undefined;
    const closed = new Promise<Extract<WorkerReply, { type: 'closed' }> | 'exited'>((resolve) => {
      this.#closed = resolve;
      void this.#exited.then(() => resolve('exited'));
    });
    const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)));
    this.#thread.postMessage({ type: 'close' } satisfies WorkerRequest);
    const done = await Promise.race([closed, timeout]);
    clearTimeout(timer);
    // Terminated in every case: a target's timers or sockets must not keep the thread alive.
    await this.#thread.terminate();
    if (done === 'timeout') return { ok: false, rule: 'hang', what: `${this.#label} did not close within ${timeoutMs} ms, and was terminated`, evidence: this.#evidence({ timeoutMs }), fatal: true };
    if (done === 'exited') return { ok: false, rule: 'crash', what: `${this.#label} exited while closing`, evidence: this.#evidence(), fatal: true };
    if (done.error !== undefined) return { ok: false, rule: 'crash', what: `${this.#label} threw on close: ${done.error}`, evidence: this.#evidence(), fatal: true };
    return { ok: true, value: undefined };
  }
}

/**
 * A target whose module runs in its own worker thread: each instance imports the module afresh,
 * so module-level state (a counter, a seeded generator) is per thread, as it is per process — the
 * in-process adapter shares it between workers and cannot see a counter that restarts per process.
 * Batches of IDs come back as two transferred buffers (see {@link packStrings}), not one object
 * per ID. Every wait is bounded: a thread that throws, exits, hangs (even in a synchronous loop)
 * or answers garbage yields a `target-failure` finding naming the worker thread, and is
 * terminated; `stop()` asks the target to close, then terminates the thread. A module that cannot
 * be imported, or exports no factory, is a `UsageError`.
 */
export class WorkerThreadTarget {
  readonly #options: WorkerThreadTargetOptions;

  constructor(options: WorkerThreadTargetOptions) {
    if (typeof options.module !== 'string' || options.module.length === 0) {
      throw new UsageError('IDGATE_TARGET_MODULE', 'new WorkerThreadTarget: `module` is empty', 'pass the path of a module exporting createTarget');
    }
    this.#options = options;
  }

  /** Starts the thread and waits for the target to be created, bounded by `timeouts.startMs`. */
  async start(): Promise<TargetOutcome<StartedTarget>> {
    const o = this.#options;
    const t = resolveTimeouts(o.timeouts);
    const worker = o.worker ?? 0;
    const moduleUrl = /^file:/i.test(o.module) ? o.module : pathToFileURL(isAbsolute(o.module) ? o.module : resolvePath(o.module)).href;
    if (!existsSync(fileURLToPath(moduleUrl))) {
      throw new UsageError('IDGATE_TARGET_MODULE', `WorkerThreadTarget.start: target module ${o.module} does not exist`, 'give a path relative to the working directory, or an absolute one');
    }
    const label = o.name ?? o.module;
    const data: WorkerStartData = { moduleUrl, module: o.module, exportName: o.exportName, worker, options: o.options ?? {} };
    const thread = startModuleWorker(import.meta.url, './worker-entry', { workerData: data, stdout: false, stderr: false }, { typescript: /\.[cm]?ts$/.test(moduleUrl) });
    const transport = new ThreadTransport(thread, worker);
    const hello = await transport.hello(t.startMs);
    if ('ok' in hello) {
      await thread.terminate();
      return { ok: false, finding: targetFailure({ target: label, rule: hello.rule, what: hello.what, ...(hello.evidence ? { evidence: hello.evidence } : {}) }) };
    }
    if (hello.type === 'start-failed') {
      await thread.terminate();
      if (hello.reason === 'module') throw new UsageError('IDGATE_TARGET_MODULE', `WorkerThreadTarget.start: ${hello.message}`, 'check the target module path and that it loads on its own with node');
      return { ok: false, finding: targetFailure({ target: label, rule: hello.reason, what: `worker thread ${worker} ${hello.message}`, evidence: { thread: `worker thread ${worker}` } }) };
    }
    return {
      ok: true,
      value: new TargetSession({
        name: o.name ?? hello.name,
        capabilities: hello.capabilities,
        extractionRules: hello.extractionRules,
        transport,
        requestMs: t.requestMs,
        stopMs: t.stopMs,
      }),
    };
  }
}
