import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SubprocessTarget } from '../harness/targets/index.js';

/** Result of {@link benchSubprocessTarget}. */
export interface TargetBenchResult {
  readonly ids: number;
  /** IDs/s through idgate's subprocess adapter (requests pipelined four deep, answers parsed). */
  readonly adapterIdsPerSecond: number;
  /** IDs/s when the same requests' answer bytes are only read off the pipe and counted by line. */
  readonly rawIdsPerSecond: number;
}

const PYTHON_TARGET = fileURLToPath(new URL('../../fixtures/python/reference_target.py', import.meta.url));

/** The Python reference target through the adapter, four requests in flight. */
async function throughAdapter(total: number, batch: number): Promise<number> {
  const started = await new SubprocessTarget({ command: 'python3', args: [PYTHON_TARGET] }).start();
  if (!started.ok) throw new Error(started.finding.message);
  const t = started.value;
  try {
    const t0 = performance.now();
    const inFlight: Promise<void>[] = [];
    for (let asked = 0; asked < total; asked += batch) {
      inFlight.push(
        t.generate('user', {}, Math.min(batch, total - asked)).then((r) => {
          if (!r.ok) throw new Error(r.finding.message);
        }),
      );
      if (inFlight.length >= 4) await inFlight.shift();
    }
    await Promise.all(inFlight);
    return total / ((performance.now() - t0) / 1000);
  } finally {
    await t.stop();
  }
}

/** The same requests written straight to the process; answers counted by newline, never parsed. */
async function rawPipe(total: number, batch: number): Promise<number> {
  const child = spawn('python3', [PYTHON_TARGET], { stdio: ['pipe', 'pipe', 'inherit'] });
  try {
    const lines = { n: 0 };
    let waiter: (() => void) | undefined;
    child.stdout.on('data', (d: Buffer) => {
      for (let p = d.indexOf(10); p >= 0; p = d.indexOf(10, p + 1)) lines.n++;
      waiter?.();
    });
    const until = (k: number) => new Promise<void>((resolve) => {
      const check = () => (lines.n >= k ? resolve() : (waiter = check));
      check();
    });
    child.stdin.write(`${JSON.stringify({ idgate: 'hello', protocol: 1, worker: 0, options: {} })}\n`);
    await until(1);
    const requests = Math.ceil(total / batch);
    const t0 = performance.now();
    for (let k = 0; k < requests; k++) {
      child.stdin.write(`${JSON.stringify({ id: k + 1, call: 'generate', domain: 'user', count: Math.min(batch, total - k * batch), context: {} })}\n`);
      if (k >= 3) await until(1 + k - 3);
    }
    await until(1 + requests);
    return total / ((performance.now() - t0) / 1000);
  } finally {
    child.kill();
  }
}

/** The subprocess target's IDs/s against a raw read of the same answers from the pipe. */
export async function benchSubprocessTarget(total: number, batch = 100_000): Promise<TargetBenchResult> {
  const raw = await rawPipe(total, batch);
  const adapter = await throughAdapter(total, batch);
  return { ids: total, adapterIdsPerSecond: adapter, rawIdsPerSecond: raw };
}
