import type { CheckFactory } from './check.js';
import { consistencyCheck } from './consistency-check.js';
import { entropyCheck } from './entropy-check.js';
import { isolationCheck } from './isolation-check.js';
import { patternCheck } from './pattern-check.js';
import { relationCheck } from './relation-check.js';

/** The streaming checks by name; uniqueness and ownership come from the ledgers themselves. */
export const CHECKS: ReadonlyMap<string, CheckFactory> = new Map<string, CheckFactory>([
  ['pattern', patternCheck],
  ['relation', relationCheck],
  ['consistency', consistencyCheck],
  ['isolation', isolationCheck],
  ['entropy', entropyCheck],
]);
