import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FINDING_KINDS } from '../harness/model/index.js';
import { defaultCatalog } from '../harness/spec/index.js';
import { SubprocessTarget, WorkerThreadTarget, extractParent, type StartedTarget, type Target, type TargetFactory } from '../harness/targets/index.js';
import { MUTANTS } from '../fixtures/mutants/index.js';
import { createTarget as createReference } from '../fixtures/reference/index.js';

// Each mutant's defect, shown directly on the target: true when the defect is visible. The
// reference must show none of them, so every demo can fail.
const catalog = defaultCatalog();
type Make = (worker?: number) => Promise<Target>;
const parses = (domain: string, ids: readonly string[]) => ids.every((id) => catalog.codec(domain).parse(id).ok);
const overlap = (a: readonly string[], b: readonly string[]) => a.some((id) => new Set(b).has(id));
const second = () => Math.floor(Date.now() / 1000);

/** Runs `f` until it completes within one wall-clock second (the seeding mutants key on it). */
async function withinOneSecond<T>(f: () => Promise<T>): Promise<T> {
  for (;;) {
    const s = second();
    const r = await f();
    if (second() === s) return r;
  }
}

const DEMOS: Record<string, (make: Make) => Promise<boolean>> = {
  'counter-reset-per-worker': async (make) => overlap(await (await make(0)).generate('user', {}, 100), await (await make(1)).generate('user', {}, 100)),
  'rng-seeded-from-clock': (make) => withinOneSecond(async () => overlap(await (await make(0)).generate('user', {}, 100), await (await make(1)).generate('user', {}, 100))),
  'random-16-bits': async (make) => new Set(await (await make()).generate('user', {}, 50_000)).size < 50_000,
  'clock-moving-backwards': async (make) => {
    const ms = (await (await make()).generate('audit', {}, 100)).map((id) => Number(id.split('_')[1]));
    return ms.some((m, i) => i > 0 && m < ms[i - 1]!);
  },
  'new-generator-per-call': (make) => withinOneSecond(async () => {
    const t = await make();
    return overlap(await t.generate('user', {}, 100), await t.generate('user', {}, 100));
  }),
  'truncated-ids': async (make) => !parses('user', await (await make()).generate('user', {}, 10)),
  'user-tag-8-chars': async (make) => {
    const t = await make();
    const [a] = await t.generate('session', { user: 'user_000001' }, 1);
    const [b] = await t.generate('session', { user: 'user_000002' }, 1);
    return a!.split('_')[1] === b!.split('_')[1];
  },
  'counter-shared-across-users': async (make) => {
    const t = await make();
    await t.generate('message', { user: 'alice' }, 3);
    const [first] = await t.generate('message', { user: 'bob' }, 1);
    return first!.split('_')[2] !== '0';
  },
  'run-not-naming-thread': async (make) => {
    const t = await make();
    const [thread] = await t.generate('thread', { op: 'chat' }, 1);
    const runs = await t.generate('run', { parents: { thread: thread! } }, 5);
    return runs.some((r) => extractParent(t.extractionRules ?? [], 'run', r, catalog)?.parent !== thread);
  },
  'wrong-separator': async (make) => !parses('tool_exec', await (await make()).generate('tool_exec', {}, 10)),
  'upper-case-hex': async (make) => !parses('request', [(await (await make()).userContext('alice', 'chat')).request]),
  // The zero-padded clock fills the field's first 12 characters with '0' (2^-48 for random hex).
  'timestamp-modulo': async (make) => (await (await make()).generate('user', {}, 10)).every((id) => id.slice(-24).startsWith('000000000000')),
  // Made by the thread maker: each instance in its own thread, with its own module-level counter.
  'counter-per-process': async (make) => overlap(await (await make(0)).generate('user', {}, 100), await (await make(1)).generate('user', {}, 100)),
  'id-reused-after-restart': async (make) => overlap(await (await make(3)).generate('user', {}, 100), await (await make(3)).generate('user', {}, 100)),
  'same-id-two-domains': async (make) => {
    const t = await make();
    const redis = await t.generate('redis_client', {}, 50);
    const click = await t.generate('clickhouse_client', {}, 50);
    return overlap(redis, click) && !parses('clickhouse_client', click);
  },
  'session-second-user': async (make) => {
    const t = await make();
    const alice = await t.generate('session', { user: 'alice' }, 5);
    const bob = await t.generate('session', { user: 'bob' }, 5);
    return overlap(alice, bob);
  },
  'validator-rejects-own': async (make) => {
    const t = await make();
    const ids = await t.generate('session', { user: 'alice' }, 400);
    return (await t.validate!('session', ids)).includes(false);
  },
};

const maker = (factory: TargetFactory): Make => async (worker = 0) => factory({ worker, options: {} });

/**
 * Instances of `module` each in a worker thread of its own (own module state, as in separate
 * processes), wrapped as targets; `stop` ends every thread it started.
 */
function threadMaker(module: string): { make: Make; stop: () => Promise<void> } {
  const threads: StartedTarget[] = [];
  const value = <T,>(o: { ok: true; value: T } | { ok: false; finding: { message: string } }): T => {
    if (!o.ok) throw new Error(o.finding.message);
    return o.value;
  };
  const make: Make = async (worker = 0) => {
    const t = value(await new WorkerThreadTarget({ module, worker }).start());
    threads.push(t);
    return { name: t.name, generate: async (d, c, n) => value(await t.generate(d, c, n)), userContext: async (u, op) => value(await t.userContext(u, op)) };
  };
  return { make, stop: async () => void (await Promise.all(threads.map((t) => t.stop()))) };
}
const fixtureFile = (p: string) => fileURLToPath(new URL(`../fixtures/${p}`, import.meta.url));

describe('the mutant catalog', () => {
  it('holds at least 16 mutants with distinct names, a description and known expected kinds', () => {
    expect(MUTANTS.length).toBeGreaterThanOrEqual(16);
    expect(new Set(MUTANTS.map((m) => m.name)).size).toBe(MUTANTS.length);
    for (const m of MUTANTS) {
      expect(m.description.length, m.name).toBeGreaterThan(10);
      expect(m.expected.length, m.name).toBeGreaterThan(0);
      for (const k of m.expected) expect(Object.keys(FINDING_KINDS), m.name).toContain(k);
    }
    expect(Object.keys(DEMOS).sort()).toEqual(MUTANTS.map((m) => m.name).sort());
  });

  it.each(MUTANTS.map((m) => [m.name, m] as const))('%s shows its defect, which the reference does not', async (name, mutant) => {
    const demo = DEMOS[name]!;
    if (mutant.needsSeparateProcesses !== true) {
      expect(await demo(maker(mutant.createTarget))).toBe(true);
      expect(await demo(maker(createReference))).toBe(false);
      return;
    }
    // Module-level state: in one process the instances share it, so each gets a thread of its own.
    const [bad, good] = [threadMaker(fixtureFile(`mutants/${name}.ts`)), threadMaker(fixtureFile('reference/index.ts'))];
    try {
      expect(await demo(bad.make)).toBe(true);
      expect(await demo(good.make)).toBe(false);
      expect(await demo(maker(mutant.createTarget))).toBe(false);
    } finally {
      await Promise.all([bad.stop(), good.stop()]);
    }
  });
});

describe('the legacy-style Python target', () => {
  it('starts, and shows its defect classes: misread runs, self-rejecting validators, 8-character user tags', async () => {
    const started = await new SubprocessTarget({ command: process.env.PYTHON ?? 'python3', args: [fileURLToPath(new URL('../fixtures/python/legacy_target.py', import.meta.url))] }).start();
    if (!started.ok) throw new Error(started.finding.message);
    const t = started.value;
    try {
      const ctx = await t.userContext('user_000001', 'chat');
      if (!ctx.ok) throw new Error(ctx.finding.message);
      expect(extractParent(t.extractionRules, 'run', ctx.value.run, catalog)?.parent).toBe(ctx.value.thread);
      const systemA = await t.generate('run', { op: 'chat' }, 1);
      if (!systemA.ok) throw new Error(systemA.finding.message);
      expect(extractParent(t.extractionRules, 'run', systemA.value[0]!, catalog)?.parent).toMatch(/^thread_chat_\d+_/);
      const own = await t.validate('run', [ctx.value.run, ...systemA.value]);
      expect(own.ok && own.value).toEqual([false, true]);
      const s1 = await t.generate('session', { user: 'user_000001' }, 1);
      const s2 = await t.generate('session', { user: 'user_000002' }, 1);
      expect(s1.ok && s2.ok && s1.value[0]!.split('_')[1] === s2.value[0]!.split('_')[1]).toBe(true);
      expect(parses('session', s1.ok ? s1.value : [])).toBe(false);
    } finally {
      await t.stop();
    }
  });
});
