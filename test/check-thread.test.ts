import { describe, expect, it } from 'vitest';
import { CHECKS, runChecksHere, startCheckThread, type CheckContextData, type CheckResults } from '../harness/checks/index.js';
import { resolveTarget, runGate, startTarget } from '../harness/cli/index.js';
import { createIdBatch, InfrastructureError, type ObservedBatch } from '../harness/model/index.js';
import { defaultCatalog } from '../harness/spec/index.js';
import { createUserTable, resolveProfile, runWorkload } from '../harness/workload/index.js';

// The checks give the same findings and tables whether they run here or in a worker thread; a
// check thread that fails makes the run an infrastructure failure, never a pass.
const SEED = 20261123;
const names = [...CHECKS.keys()];

/** Mints a small run of `target` and keeps every batch the checks would see. */
async function observedRun(target: string): Promise<{ batches: ObservedBatch[]; data: CheckContextData }> {
  const catalog = defaultCatalog();
  const profile = resolveProfile('ci', { idsPerDomain: 4_000, users: 40 });
  const users = createUserTable(profile.users, SEED);
  const batches: ObservedBatch[] = [];
  const spec = resolveTarget(target);
  let extractionRules: CheckContextData['extractionRules'] = [];
  await runWorkload({
    startTarget: (worker) => startTarget(spec, worker),
    onStarted: (t) => (extractionRules = t.extractionRules),
    catalog,
    profile,
    users,
    sink: (o) => {
      batches.push(o);
      return Promise.resolve();
    },
  });
  return { batches, data: { catalog: catalog.definition, users, extractionRules, maxExamples: 5, replay: { seed: SEED, command: `npx idgate gate --target ${target}` } } };
}

async function check(run: { batches: ObservedBatch[]; data: CheckContextData }, thread: boolean): Promise<CheckResults> {
  const { data } = run;
  const runner = thread ? startCheckThread(names, data, { maxQueued: 2 }) : runChecksHere(names, { ...data, catalog: defaultCatalog(), replay: () => data.replay });
  try {
    for (const b of run.batches) await runner.observe(b);
    return await runner.finish();
  } finally {
    await runner.close();
  }
}

describe('checks in a worker thread', () => {
  it.each(['mutant:random-16-bits', 'mutant:user-tag-8-chars', 'python-legacy'])('report exactly what the same checks report here, for %s', async (target) => {
    const run = await observedRun(target);
    const here = await check(run, false);
    const there = await check(run, true);
    const found = [...here.findings.values()].flat();
    expect(found.length).toBeGreaterThan(0);
    expect([...there.findings]).toEqual([...here.findings]);
    expect(there.tables).toEqual(here.tables);
  }, 120_000);

  it('turn a check that throws into an infrastructure error naming the thread', async () => {
    const run = await observedRun('reference');
    const runner = startCheckThread(names, run.data);
    try {
      // A batch with no owner column makes the checks throw inside the thread.
      const broken = { target: 'reference', batch: { ...createIdBatch({ batchId: 'b', domain: 'user', ids: ['u_1'], owners: 0 }), owners: null } } as unknown as ObservedBatch;
      await runner.observe(broken);
      const error: unknown = await runner.finish().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InfrastructureError);
      expect((error as InfrastructureError).code).toBe('IDGATE_CHECK_THREAD_FAILED');
      expect((error as Error).message).toMatch(/^check thread: /);
    } finally {
      await runner.close();
    }
  }, 60_000);

  it('let runGate catch a weak generator and pass the reference with checkThread on', async () => {
    const profile = (checkThread: boolean) => resolveProfile('ci', { idsPerDomain: 5_000, checkThread });
    const weak = await runGate({ target: resolveTarget('mutant:random-16-bits'), profile: profile(true), seed: SEED });
    expect(new Set(weak.findings.map((f) => f.kind))).toEqual(new Set(['duplicate', 'entropy', 'multi-owner']));
    expect(Object.keys(weak.tables)).toContain('entropy');
    const good = await runGate({ target: resolveTarget('reference'), profile: profile(true), seed: SEED });
    expect(good.findings).toEqual([]);
    expect(good.exitCode).toBe(0);
  }, 120_000);
});
