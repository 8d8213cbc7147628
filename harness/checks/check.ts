import type { Finding, ObservedBatch } from '../model/index.js';
import type { DomainCatalog } from '../spec/index.js';
import type { ExtractionRule } from '../targets/index.js';

/** What every check knows about the run. */
export interface CheckContext {
  readonly catalog: DomainCatalog;
  /** The run's user table; owner i is `users[i]`. */
  readonly users: readonly string[];
  /** The target's declared ways of reading a parent out of an ID. */
  readonly extractionRules: readonly ExtractionRule[];
  /** IDs quoted per finding. */
  readonly maxExamples: number;
  /** Builds the replay command for a finding of `check` in `domain`. */
  readonly replay?: (check: string, domain: string) => Finding['replay'];
}

/**
 * A check streams over the batches as they are minted (so the memory path keeps no ID
 * strings) and then reports. Checks are registered by name in {@link CHECKS}.
 */
export interface Check {
  readonly name: string;
  observe(batch: ObservedBatch): void;
  findings(): Finding[];
}

/** Creates a check for one run. */
export type CheckFactory = (context: CheckContext) => Check;
