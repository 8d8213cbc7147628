import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { resolveTarget, startTarget } from '../harness/cli/index.js';
import { defaultCatalog } from '../harness/spec/index.js';
import type { StartedTarget } from '../harness/targets/index.js';
import { gateSummary } from './support/findings-for.js';

const s = gateSummary();
const catalog = defaultCatalog();
const opArb = fc.stringMatching(/^[a-z][a-z0-9_]{0,19}$/);
const leafDomains = s.domains.filter((d) => catalog.has(d) && !catalog.codec(d).spec.fields.some((f) => f.kind === 'parent'));
let target: StartedTarget | undefined;

/** Checks a property with the run's seed, bounded in time; an interrupted property fails. */
async function checkBounded<T extends unknown[]>(property: fc.IAsyncProperty<T>): Promise<void> {
  const details = await fc.check(property, {
    numRuns: s.propertyRuns,
    seed: s.seed,
    interruptAfterTimeLimit: s.propertyTimeLimitMs,
    markInterruptAsFailure: true,
  });
  const report = `${fc.defaultReportMessage(details) ?? ''}\nreplay: ${s.replay}${details.counterexamplePath === null ? '' : ` (fast-check path ${details.counterexamplePath})`}`;
  expect(details.failed, report).toBe(false);
  expect(details.numRuns, `${details.numRuns} of ${s.propertyRuns} runs executed`).toBe(s.propertyRuns);
}

async function value<T>(o: Promise<{ ok: true; value: T } | { ok: false; finding: { message: string } }>): Promise<T> {
  const r = await o;
  if (!r.ok) throw new Error(r.finding.message);
  return r.value;
}

describe('properties (live target)', () => {
  beforeAll(async () => {
    target = await value(startTarget(resolveTarget(inject('idgateGate').target), 0));
  });
  afterAll(async () => {
    await target?.stop();
  });

  it('for any user and operation, the coupled run names its thread and the request its run', async () => {
    await checkBounded(
      fc.asyncProperty(fc.constantFrom(...s.users), opArb, async (user, op) => {
        const ctx = await value(target!.userContext(user, op));
        const run = catalog.codec('run').parse(ctx.run);
        const request = catalog.codec('request').parse(ctx.request);
        expect(run.ok ? run.value.fields.thread : run.error.message).toBe(ctx.thread);
        expect(request.ok ? request.value.fields.run : request.error.message).toBe(ctx.run);
      }),
    );
  });

  it.runIf(leafDomains.length > 0)('for any domain, user and operation, every ID formats back from its parsed fields unchanged', async () => {
    await checkBounded(
      fc.asyncProperty(fc.constantFrom(...leafDomains), fc.constantFrom(...s.users), opArb, fc.integer({ min: 1, max: 20 }), async (domain, user, op, count) => {
        const ids = await value(target!.generate(domain, { user, op }, count));
        const codec = catalog.codec(domain);
        for (const id of ids) {
          const r = codec.parse(id);
          expect(r.ok ? codec.format(r.value.fields) : r.error.message).toBe(id);
        }
      }),
    );
  });
});
