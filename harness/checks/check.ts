import type { Finding, ObservedBatch } from '../model/index.js';
import type { DomainCatalog, ExtractionRule, ParseResult } from '../spec/index.js';
import type { EntropyOptions } from './entropy-options.js';

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
  /** Production volume and accepted collision risk for the entropy check; unset fields take its defaults. */
  readonly entropy?: Partial<EntropyOptions>;
}

/**
 * A batch as checks see it: observed, plus each ID parsed once under its domain's spec
 * (`undefined` when the catalog has no such domain). Parsing once per ID, not once per check,
 * is most of the checks' cost.
 */
export interface CheckedBatch extends ObservedBatch {
  readonly parsed: readonly ParseResult[] | undefined;
}

/** Parses every ID of a batch once, for all checks. */
export function toCheckedBatch(observed: ObservedBatch, catalog: DomainCatalog): CheckedBatch {
  if (!catalog.has(observed.batch.domain)) return { ...observed, parsed: undefined };
  const codec = catalog.codec(observed.batch.domain);
  return { ...observed, parsed: observed.batch.ids.map((id) => codec.parse(id)) };
}

/**
 * A check streams over the batches as they are minted (so the memory path keeps no ID
 * strings) and then reports. Checks are registered by name in {@link CHECKS}.
 */
export interface Check {
  readonly name: string;
  observe(batch: CheckedBatch): void;
  findings(): Finding[];
}

/** Creates a check for one run. */
export type CheckFactory = (context: CheckContext) => Check;
