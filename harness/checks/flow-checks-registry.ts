import { cleanupCheck } from './cleanup-check.js';
import type { FlowCheckFactory } from './flow-check.js';
import { routingCheck } from './routing-check.js';

/** The checks over the golden flow's observations, by name (both report `isolation`). */
export const FLOW_CHECKS: ReadonlyMap<string, FlowCheckFactory> = new Map<string, FlowCheckFactory>([
  ['cleanup', cleanupCheck],
  ['routing', routingCheck],
]);
