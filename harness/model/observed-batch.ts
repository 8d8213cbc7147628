import type { DomainName } from './domain-name.js';
import type { IdBatch } from './id-batch.js';

/** A target's own reading of one of its IDs (what its parser says). */
export interface IdView {
  /** The domain the target assigns, or `null` when it does not recognise the ID. */
  readonly type: DomainName | null;
  /** The owner it reads out (a user ID or tag), where the ID carries one. */
  readonly owner?: string;
  /** The parent ID it reads out, where the ID carries one. */
  readonly parent?: string;
}

/**
 * A batch as the workload saw it being minted, for checks: the IDs plus what only the workload
 * knows (the real parent each ID was minted under, the user table) and what the target said of
 * its own IDs (validator, parser). Data flows one way: checks read this, never the target.
 */
export interface ObservedBatch {
  readonly batch: IdBatch;
  /** The target that minted it. */
  readonly target: string;
  /** For each ID, the real parent ID it was minted under (domains that embed one). */
  readonly parents?: readonly string[];
  /** The parent's domain, with `parents`. */
  readonly parentDomain?: DomainName;
  /** The target's validator: for each ID, whether it accepts it (absent: no validator). */
  readonly valid?: readonly boolean[];
  /** The target's parser: for each ID, its reading (absent: no parser). */
  readonly views?: readonly (IdView | null)[];
  /**
   * A second system that must read these IDs the same way (an auth service's generator and a
   * backend's ID manager): its validator's and parser's answers for each ID.
   */
  readonly peer?: {
    readonly target: string;
    readonly valid?: readonly boolean[];
    readonly views?: readonly (IdView | null)[];
  };
}
