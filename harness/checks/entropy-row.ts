import type { DomainName, Finding } from '../model/index.js';
import type { FieldEntropy } from './field-entropy.js';

/**
 * One line of the entropy table: a domain's randomness in one layout, and what it means at the
 * configured production volume. `layout` is `spec` (the catalog's random fields, from IDs that
 * parse) or `token:<n>` (IDs that do not parse: their trailing token of n characters, estimated
 * without a spec).
 */
export interface EntropyRow {
  readonly domain: DomainName;
  readonly layout: string;
  /** The fields estimated (`random`, or `trailing token`). */
  readonly fields: readonly string[];
  /** IDs the estimate rests on. */
  readonly ids: number;
  /** Min-entropy per ID: the estimate, its SP 800-90B 99 % lower bound, and the z = 5 upper bound a finding must fall below. */
  readonly estimatedBits: number;
  readonly lowerBits: number;
  readonly upperBits: number;
  /** What the spec claims (`undefined` for a trailing token). */
  readonly claimedBits: number | undefined;
  /** Bits that keep the chance of any collision at `volume` at or below `threshold`. */
  readonly bitsNeeded: number;
  /** Production IDs projected to: per day × days. */
  readonly volume: number;
  readonly threshold: number;
  /** Chance of any collision at `volume`, at the estimate and at the upper bound. */
  readonly probability: number;
  readonly probabilityAtUpper: number;
  /** IDs (and days at the configured rate) after which the chance reaches `threshold`, at the estimate. */
  readonly volumeAtRisk: number;
  readonly daysAtRisk: number;
  /** Whether even the upper bound falls short: a finding. */
  readonly failed: boolean;
  /** How each field's estimate was reached. */
  readonly details: Readonly<Record<string, FieldEntropy>>;
}

/** The entropy rows a check's findings carry (failing domains only; the check's `table()` has them all). */
export function entropyRowsOf(findings: readonly Finding[]): EntropyRow[] {
  return findings.filter((f) => f.kind === 'entropy' && typeof f.evidence.row === 'object' && f.evidence.row !== null).map((f) => f.evidence.row as EntropyRow);
}
