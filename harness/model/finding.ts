import type { DomainName } from './domain-name.js';
import { ExitCode } from './exit-code.js';

/** What kind of defect a {@link Finding} reports (DESIGN.md's table). */
export type FindingKind =
  | 'duplicate'
  | 'multi-owner'
  | 'pattern'
  | 'relation'
  | 'consistency'
  | 'isolation'
  | 'entropy'
  | 'ssot-bypass'
  | 'target-failure'
  | 'lost-write'
  | 'unexpected'
  | 'infrastructure';

/** Every finding kind with the exit code it forces. */
export const FINDING_KINDS: Readonly<Record<FindingKind, ExitCode>> = {
  duplicate: ExitCode.Findings,
  'multi-owner': ExitCode.Findings,
  pattern: ExitCode.Findings,
  relation: ExitCode.Findings,
  consistency: ExitCode.Findings,
  isolation: ExitCode.Findings,
  entropy: ExitCode.Findings,
  'ssot-bypass': ExitCode.Findings,
  'target-failure': ExitCode.Findings,
  'lost-write': ExitCode.Infrastructure,
  unexpected: ExitCode.Infrastructure,
  infrastructure: ExitCode.Infrastructure,
};

/** How to get the same finding back: the seed and fast-check path plus the exact command. */
export interface Replay {
  /** The run's seed. */
  readonly seed: number;
  /** fast-check's shrink path, where a property found it. */
  readonly path?: string;
  /** A shell command that replays the finding. */
  readonly command: string;
}

/**
 * One defect found in a target or a store. Failures of the system under test are findings,
 * never exceptions.
 */
export interface Finding {
  readonly kind: FindingKind;
  /** The domain concerned; absent for run-wide findings (e.g. a store that died). */
  readonly domain?: DomainName;
  /** One line a person reads first. */
  readonly message: string;
  /** The IDs involved (a bounded sample where there are many). */
  readonly ids: readonly string[];
  /** Indexes into the run's user table of the owners involved. */
  readonly owners: readonly number[];
  /** Which ledger or check saw it (`memory`, `redis`, `clickhouse`, `audit`, …). */
  readonly source: string;
  /** A stable rule name inside the kind, used by baselines (e.g. `cross-domain`). */
  readonly rule?: string;
  /** Numbers and facts behind the finding. */
  readonly evidence: Readonly<Record<string, unknown>>;
  /** How to reproduce it, where that is possible. */
  readonly replay?: Replay;
}

/** The exit code a list of findings implies: 3 beats 1 beats 0. */
export function exitCodeFor(findings: readonly Finding[]): ExitCode {
  let code: ExitCode = ExitCode.Pass;
  for (const f of findings) {
    const c = FINDING_KINDS[f.kind];
    if (c > code) code = c;
  }
  return code;
}
