import type { AuditResult } from './audit-tree.js';
import type { BaselineComparison } from './audit-baseline.js';

/** An audit's result together with its comparison against the baseline (all findings added when there is none). */
export interface AuditReport {
  readonly result: AuditResult;
  readonly comparison: BaselineComparison;
  /** The baseline file compared against, if any. */
  readonly baselinePath?: string;
}
