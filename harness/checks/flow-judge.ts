import { MemoryLedger } from '../ledger/index.js';
import type { Finding, FindingKind, ObservedBatch } from '../model/index.js';
import { toCheckedBatch, type Check, type CheckContext } from './check.js';
import { CHECKS } from './checks-registry.js';
import { FLOW_CHECKS } from './flow-checks-registry.js';
import type { ObservedFlow } from './flow-check.js';
import { ledgerFindings } from './ledger-agreement.js';

/** The kinds an interleaving of users can cause, and so the kinds the golden flow shrinks on. */
export const FLOW_JUDGED_KINDS: readonly FindingKind[] = ['duplicate', 'multi-owner', 'isolation'];

/** A verdict over one execution of the golden flow. */
export interface FlowJudgement {
  readonly sink: (observed: ObservedBatch) => Promise<void>;
  findings(flow: ObservedFlow): Promise<readonly Finding[]>;
}

/**
 * Judges one execution of the golden flow with the gate's own machinery, fresh for that
 * execution: a memory ledger (duplicates, multi-owner), the streaming checks named in `checks`
 * and every flow check (cleanup, routing). Only {@link FLOW_JUDGED_KINDS} count, so shrinking
 * keeps to what an interleaving decides.
 */
export function createFlowJudge(context: CheckContext, checks: readonly string[] = [...CHECKS.keys()]): FlowJudgement {
  const ledger = new MemoryLedger({ maxExamples: context.maxExamples });
  const streaming: Check[] = checks.flatMap((n) => {
    const f = CHECKS.get(n);
    return f === undefined ? [] : [f(context)];
  });
  return {
    async sink(observed) {
      const checked = toCheckedBatch(observed, context.catalog);
      for (const c of streaming) c.observe(checked);
      await ledger.append(observed.batch);
    },
    async findings(flow) {
      const verdict = await ledger.verify();
      await ledger.close();
      const all = [...ledgerFindings([verdict]), ...streaming.flatMap((c) => c.findings()), ...[...FLOW_CHECKS.values()].flatMap((f) => f(context).judge(flow))];
      return all.filter((f) => FLOW_JUDGED_KINDS.includes(f.kind));
    },
  };
}
