import type { Finding, FlowObservations } from '../model/index.js';
import type { CheckContext } from './check.js';

/** The golden flow's observations as the flow checks judge them (harness/model's FlowObservations). */
export type ObservedFlow = FlowObservations;

/** A check over the golden flow's observations (not a stream of batches). */
export interface FlowCheck {
  readonly name: string;
  judge(flow: ObservedFlow): Finding[];
}

/** Creates a flow check for one run. */
export type FlowCheckFactory = (context: CheckContext) => FlowCheck;
