import { describe, expect, inject, it } from 'vitest';
import { defaultCatalog } from '../harness/spec/index.js';
import { expectNoFindings } from './support/expect-no-findings.js';
import { findingsFor, formatFindings, gateSummary } from './support/findings-for.js';
import type {} from './support/golden-provided.js';

const { domains } = gateSummary();
const flow = inject('idgateFlow');
const catalog = defaultCatalog();
const userScoped = domains.filter((d) => catalog.has(d) && catalog.codec(d).spec.fields.some((f) => f.kind === 'user-tag' || (f.kind === 'counter' && f.scope === 'user')));

/** Fails with every isolation finding of `rule`, readably, unless there is none. */
function expectNoRule(rule: string): void {
  const found = findingsFor('isolation').filter((f) => f.rule === rule);
  expect(found.map((f) => `${f.rule}: ${f.message}`), `\n${formatFindings(found)}\n`).toEqual([]);
}

describe('isolation', () => {
  it.each(userScoped)('%s: no user tag or per-user counter is shared between users', (domain) => {
    expectNoFindings('isolation', domain);
  });

  it('every ID has exactly one owner', () => {
    expectNoFindings('multi-owner');
  });

  it("no two users are read as one owner by the target's parser", () => {
    expectNoRule('shared-owner');
  });
});

// The golden flow's rules, where the profile has the flow (`idgate golden`).
if (flow.planned) {
  describe('isolation in the golden flow', () => {
    it(`the golden path ran for ${flow.plannedUsers} interleaved users, cleanup in real Redis and routing exercised`, () => {
      expect(flow.ran, 'the golden flow did not run (see the target-failure findings)').toBe(true);
      expect(flow.users).toBe(flow.plannedUsers);
      expect(flow.skipped).toEqual([]);
    });

    it("cleanup: a user's declared cleanup deletes no other user's key", () => {
      expectNoRule('cleanup-reaches-other-user');
    });

    it("cleanup: every other user's keys are intact until their own cleanup", () => {
      expectNoRule('cleanup-other-user-gone');
    });

    it("cleanup: a user's declared cleanup removes all of that user's tagged state", () => {
      expectNoRule('cleanup-leaves-own-state');
    });

    it('routing: a message routed run → thread → connection reaches no other user', () => {
      expectNoRule('routing-wrong-user');
    });

    it('routing: a message routed run → thread → connection reaches its sender', () => {
      expectNoRule('routing-not-delivered');
    });

    it('no interleaving of users fails (fast-check found no failing schedule)', () => {
      const cx = flow.counterexample;
      expect(cx === undefined ? undefined : `seed ${cx.seed}, path ${cx.path}, users ${cx.users.join(', ')}`).toBeUndefined();
    });
  });
}
