// The code a WorkerThreadTarget runs inside each worker thread: it imports the target module
// afresh (a thread has its own module instances, so module-level state is per thread, as it is per
// process), creates the target, and answers requests until told to close. It never bounds its
// own waits: the parent does, and terminates a thread that hangs.
import { parentPort, workerData } from 'node:worker_threads';
import type { Target, TargetFactory } from './target.js';
import type { WorkerHello, WorkerReply, WorkerRequest, WorkerStartData } from './worker-messages.js';
import { packStrings, transferablesOf, unpackStrings } from './worker-string-pack.js';

const port = parentPort;
if (port === null) throw new Error('worker-entry: this module runs inside a worker thread started by WorkerThreadTarget; import WorkerThreadTarget instead');
const data = workerData as WorkerStartData;

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function hello(message: WorkerHello): void {
  port!.postMessage(message);
}

async function createTarget(): Promise<Target | undefined> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(data.moduleUrl)) as Record<string, unknown>;
  } catch (error) {
    hello({ type: 'start-failed', reason: 'module', message: `cannot import ${JSON.stringify(data.module)}: ${describe(error)}` });
    return undefined;
  }
  const factory = data.exportName === undefined ? (mod.createTarget ?? mod.default) : mod[data.exportName];
  if (typeof factory !== 'function') {
    hello({ type: 'start-failed', reason: 'module', message: `${JSON.stringify(data.module)} exports no target factory as ${data.exportName ?? '`createTarget` or default'}` });
    return undefined;
  }
  let target: Partial<Target> | null;
  try {
    target = await (factory as TargetFactory)({ worker: data.worker, options: data.options });
  } catch (error) {
    hello({ type: 'start-failed', reason: 'crash', message: `threw while starting: ${describe(error)}` });
    return undefined;
  }
  if (typeof target !== 'object' || target === null || typeof target.generate !== 'function' || typeof target.userContext !== 'function') {
    hello({ type: 'start-failed', reason: 'handshake', message: 'returned something that is not a target (it needs generate and userContext)' });
    return undefined;
  }
  return target as Target;
}

async function call(t: Target, m: Extract<WorkerRequest, { type: 'call' }>): Promise<unknown> {
  const r = m.request;
  switch (r.call) {
    case 'generate':
      return t.generate(r.domain, r.context, r.count);
    case 'userContext':
      return t.userContext(r.user, r.op);
    case 'cleanupPatterns':
      return t.cleanupPatterns!(r.user);
  }
  const ids = 'ids' in m ? unpackStrings(m.ids) : [];
  return r.call === 'validate' ? t.validate!(r.domain, ids) : t.parse!(r.domain, ids);
}

function answer(id: number, value: unknown): void {
  const strings = packStrings(value);
  if (strings !== undefined && (value as unknown[]).length > 0) {
    const reply: WorkerReply = { type: 'answer', id, ok: true, strings };
    port!.postMessage(reply, transferablesOf(strings));
    return;
  }
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'boolean')) {
    const booleans = Uint8Array.from(value, (b) => (b ? 1 : 0));
    const reply: WorkerReply = { type: 'answer', id, ok: true, booleans };
    port!.postMessage(reply, [booleans.buffer]);
    return;
  }
  try {
    port!.postMessage({ type: 'answer', id, ok: true, value } satisfies WorkerReply);
  } catch (error) {
    port!.postMessage({ type: 'answer', id, ok: false, error: `answered a value that cannot be sent between threads (${describe(error)})` } satisfies WorkerReply);
  }
}

const target = await createTarget();
if (target !== undefined) {
  hello({
    type: 'hello',
    name: typeof target.name === 'string' ? target.name : data.module,
    capabilities: { validate: typeof target.validate === 'function', parse: typeof target.parse === 'function', cleanupPatterns: typeof target.cleanupPatterns === 'function' },
    extractionRules: target.extractionRules ?? [],
  });
  port.on('message', (m: WorkerRequest) => {
    if (m.type === 'close') {
      void (async () => {
        try {
          await target.close?.();
          port.postMessage({ type: 'closed' } satisfies WorkerReply);
        } catch (error) {
          port.postMessage({ type: 'closed', error: describe(error) } satisfies WorkerReply);
        }
      })();
      return;
    }
    void (async () => {
      try {
        answer(m.id, await call(target, m));
      } catch (error) {
        port.postMessage({ type: 'answer', id: m.id, ok: false, error: describe(error) } satisfies WorkerReply);
      }
    })();
  });
}
