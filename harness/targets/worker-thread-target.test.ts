import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../spec/index.js';
import { InProcessTarget } from './in-process-target.js';
import type { StartedTarget, TargetOutcome } from './started-target.js';
import { WorkerThreadTarget } from './worker-thread-target.js';
import { packStrings, unpackStrings } from './worker-string-pack.js';

const file = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
const REFERENCE = file('fixtures/reference/index.ts');
const COUNTER_PER_PROCESS = file('fixtures/mutants/counter-per-process.ts');
const FAILING = file('test/helpers/failing-target.ts');
const catalog = defaultCatalog();

function started(o: TargetOutcome<StartedTarget>): StartedTarget {
  if (!o.ok) throw new Error(`expected the target to start: ${o.finding.message}`);
  return o.value;
}

/** Threads of this process (the main one included), from the OS. */
function threadsNow(): number {
  return Number(/^Threads:\s+(\d+)/m.exec(readStatus())?.[1] ?? NaN);
}
function readStatus(): string {
  return readFileSync('/proc/self/status', 'utf8');
}

describe('packing string batches into transferable buffers', () => {
  it('round-trips any well-formed strings exactly, and refuses what cannot make the trip', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme' }), { maxLength: 50 }), (values) => {
        const packed = packStrings(values)!;
        expect(unpackStrings(packed)).toEqual(values);
        expect(packed.bytes.buffer.byteLength).toBe(packed.bytes.byteLength); // its own buffer, not a pool
      }),
      { numRuns: 200 },
    );
    expect(packStrings(['ok', '\uD800'])).toBeUndefined(); // a lone surrogate
    expect(packStrings(['ok', 3])).toBeUndefined();
    expect(packStrings('not an array')).toBeUndefined();
    expect(() => unpackStrings({ bytes: new TextEncoder().encode('abc'), lengths: Uint32Array.of(1) })).toThrow(/lengths cover 1/);
  });
});

describe('WorkerThreadTarget', () => {
  it('mints through the reference in a thread: exact counts, unique, parsing, read back by its own validator and parser', async () => {
    const t = started(await new WorkerThreadTarget({ module: REFERENCE, worker: 1 }).start());
    try {
      expect(t.name).toBe('reference-ts');
      expect(t.capabilities).toEqual({ validate: true, parse: true, cleanupPatterns: true });
      expect(t.extractionRules.length).toBeGreaterThan(0);
      const ids = await t.generate('session', { user: 'alice' }, 20_000);
      if (!ids.ok) throw new Error(ids.finding.message);
      expect(ids.value).toHaveLength(20_000);
      expect(new Set(ids.value).size).toBe(20_000);
      expect(ids.value.every((id) => catalog.codec('session').parse(id).ok)).toBe(true);
      const valid = await t.validate('session', [...ids.value.slice(0, 5), 'session_nope']);
      expect(valid.ok && valid.value).toEqual([true, true, true, true, true, false]);
      const views = await t.parse('session', ids.value.slice(0, 2));
      expect(views.ok && views.value.map((v) => v?.type)).toEqual(['session', 'session']);
      const ctx = await t.userContext('alice', 'chat');
      expect(ctx.ok && ctx.value.run.includes(ctx.value.thread)).toBe(true);
    } finally {
      const stopped = await t.stop();
      expect(stopped.findings).toEqual([]);
      expect(stopped.requests).toBe(4);
    }
  });

  it('gives each thread its own module state, which in-process instances share', async () => {
    const mint = async (start: () => Promise<TargetOutcome<StartedTarget>>) => {
      const t = started(await start());
      try {
        const r = await t.generate('user', {}, 1000);
        if (!r.ok) throw new Error(r.finding.message);
        return r.value;
      } finally {
        await t.stop();
      }
    };
    const threads = [await mint(() => new WorkerThreadTarget({ module: COUNTER_PER_PROCESS, worker: 0 }).start()), await mint(() => new WorkerThreadTarget({ module: COUNTER_PER_PROCESS, worker: 1 }).start())];
    expect(threads[1]).toEqual(threads[0]); // each thread's counter starts at 0
    const inProcess = [await mint(() => new InProcessTarget({ module: COUNTER_PER_PROCESS, worker: 0 }).start()), await mint(() => new InProcessTarget({ module: COUNTER_PER_PROCESS, worker: 1 }).start())];
    expect(new Set([...inProcess[0]!, ...inProcess[1]!]).size).toBe(2000);
  });

  it('turns a throw, a hang, an exit, an uncaught error and a garbage answer into target-failure findings naming the thread, within the timeout', async () => {
    const before = threadsNow();
    const cases = [
      ['throw', 'error', /answered an error in worker thread 2: Error: generator out of order/],
      ['hang', 'hang', /worker thread 2 did not answer within 400 ms/],
      ['exit', 'crash', /worker thread 2 exited with code 3/],
      ['uncaught', 'crash', /worker thread 2 threw Error: failing-target: uncaught on purpose/],
      ['garbage', 'bad-answer', /answered 42 instead of an array of string IDs/],
    ] as const;
    for (const [mode, rule, message] of cases) {
      const t = started(await new WorkerThreadTarget({ module: FAILING, worker: 2, options: { mode }, timeouts: { requestMs: 400 } }).start());
      const t0 = performance.now();
      let r = await t.generate('user', {}, 10);
      // The uncaught error comes right after a good answer; the next call meets the dead thread.
      if (mode === 'uncaught' && r.ok) {
        await new Promise((res) => setTimeout(res, 100));
        r = await t.generate('user', {}, 10);
      }
      expect(r.ok, mode).toBe(false);
      if (r.ok) continue;
      expect(performance.now() - t0, mode).toBeLessThan(3000);
      const finding = mode === 'uncaught' ? (await t.stop()).findings.find((f) => f.rule === 'crash')! : r.finding;
      expect(finding.kind).toBe('target-failure');
      expect(finding.rule, mode).toBe(rule);
      expect(finding.message, mode).toMatch(message);
      if (mode === 'hang' || mode === 'exit') {
        const later = await t.generate('user', {}, 1);
        expect(!later.ok && later.finding.rule).toBe('unavailable');
      }
      const stopped = await t.stop();
      expect(stopped.findings.length, mode).toBeGreaterThan(0);
    }
    // Every thread was terminated, the spinning one included.
    await new Promise((res) => setTimeout(res, 200));
    expect(threadsNow()).toBeLessThanOrEqual(before);
  });

  it('reports a factory that throws, returns no target or never resolves, and a close that hangs; a missing module is a usage error', async () => {
    const start = (mode: string, timeouts = {}) => new WorkerThreadTarget({ module: FAILING, worker: 4, options: { mode }, name: `failing-${mode}`, timeouts }).start();
    const threw = await start('factory-throws');
    expect(!threw.ok && [threw.finding.rule, threw.finding.message]).toEqual(['crash', expect.stringMatching(/^target "failing-factory-throws" worker thread 4 threw while starting: Error: failing-target: factory refuses/)]);
    const empty = await start('not-a-target');
    expect(!empty.ok && empty.finding.rule).toBe('handshake');
    const slow = await start('slow-start', { startMs: 1500 });
    expect(!slow.ok && [slow.finding.rule, slow.finding.message]).toEqual(['hang', expect.stringMatching(/worker thread 4 did not create the target within 1500 ms/)]);
    const closing = started(await start('close-hangs', { stopMs: 300 }));
    const stopped = await closing.stop();
    expect(stopped.findings.map((f) => [f.rule, f.message])).toEqual([['hang', expect.stringMatching(/worker thread 4 did not close within 300 ms, and was terminated/)]]);
    await expect(new WorkerThreadTarget({ module: 'no/such/module.ts' }).start()).rejects.toThrow(/WorkerThreadTarget.start: target module no\/such\/module.ts does not exist/);
    await expect(new WorkerThreadTarget({ module: file('fixtures/reference/user-tag.ts') }).start()).rejects.toThrow(/exports no target factory/);
  });
});
