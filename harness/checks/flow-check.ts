import type { DomainName, Finding } from '../model/index.js';
import type { CheckContext } from './check.js';

/**
 * The golden flow's observations as the flow checks read them (the workload produces objects
 * of this shape; see harness/workload/flow-observations.ts). The flow did the work that needs
 * the target and Redis — routing with the target's parser, cleanup with its declared patterns
 * in real Redis — and recorded what happened; the checks only judge it.
 */
export interface ObservedFlow {
  readonly target: string;
  readonly users: readonly number[];
  /** Messages as routed run → thread → connection; absent when routing was not exercised. */
  readonly routed?: readonly {
    readonly owner: number;
    readonly message: string;
    readonly run: string;
    readonly thread?: string;
    readonly connection?: string;
    readonly recipients: readonly number[];
  }[];
  /** The cleanup exercise in real Redis; absent when not exercised. */
  readonly cleanup?: {
    readonly prefix: string;
    readonly keys: readonly { readonly id: string; readonly domain: DomainName; readonly owner: number; readonly at: number }[];
    readonly cleanups: readonly { readonly owner: number; readonly patterns: readonly string[]; readonly at: number; readonly matched: readonly number[] }[];
    readonly scans: readonly { readonly at: number; readonly present: readonly number[] }[];
  };
  readonly skipped: readonly string[];
}

/** A check over the golden flow's observations (not a stream of batches). */
export interface FlowCheck {
  readonly name: string;
  judge(flow: ObservedFlow): Finding[];
}

/** Creates a flow check for one run. */
export type FlowCheckFactory = (context: CheckContext) => FlowCheck;
