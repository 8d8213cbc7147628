import type { Finding } from '../model/index.js';
import { compareFindingBaseline, findingBaselineOf, findingFingerprint, readFindingBaseline, writeFindingBaseline, type BaselineOutcome } from '../report/index.js';

/** Options of {@link applyBaseline}. */
export interface ApplyBaselineOptions {
  /** The baseline file. Required. */
  readonly file: string;
  /** Rewrite the file to accept exactly this run's findings first (`--update-baseline`). Default: false. */
  readonly update?: boolean;
}

/** A run's findings split by a baseline. */
export interface AppliedBaseline {
  /** Findings that fail the run. */
  readonly failing: readonly Finding[];
  readonly outcome: BaselineOutcome;
}

/**
 * Applies an accepted-findings baseline to a run: known fingerprints are reported but do not
 * fail, new ones fail, and baseline entries no longer found are listed as fixed. With `update`
 * the file is first rewritten to this run's findings (so nothing is new and nothing fixed).
 */
export async function applyBaseline(findings: readonly Finding[], options: ApplyBaselineOptions): Promise<AppliedBaseline> {
  if (options.update === true) await writeFindingBaseline(options.file, findingBaselineOf(findings));
  const cmp = compareFindingBaseline(findings, await readFindingBaseline(options.file));
  const prints = (fs: readonly Finding[]) => [...new Set(fs.map(findingFingerprint))].sort();
  return { failing: cmp.new, outcome: { file: options.file, updated: options.update === true, known: prints(cmp.known), new: prints(cmp.new), fixed: cmp.fixed } };
}
