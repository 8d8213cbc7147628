import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { UsageError, type Finding } from '../model/index.js';
import { findingFingerprint } from './finding-fingerprint.js';

/**
 * Kinds a baseline never accepts: a run whose target or stores failed proves nothing, so it
 * always fails, whatever the baseline says.
 */
export const NEVER_ACCEPTED: ReadonlySet<Finding['kind']> = new Set(['target-failure', 'infrastructure', 'lost-write', 'unexpected']);

/** One accepted finding in a baseline file. */
export interface FindingBaselineEntry {
  /** `kind/domain/rule`, see {@link findingFingerprint}. */
  readonly fingerprint: string;
  /** The message when it was accepted, for people reading the file. */
  readonly message: string;
}

/** The accepted-findings file `idgate gate --baseline` reads and `--update-baseline` writes. */
export interface FindingBaseline {
  readonly version: 1;
  readonly findings: readonly FindingBaselineEntry[];
}

/** How a run's findings split against a baseline. */
export interface FindingBaselineComparison {
  /** Findings whose fingerprint the baseline holds: reported, not failing. */
  readonly known: readonly Finding[];
  /** Findings the baseline does not hold: they fail the run. */
  readonly new: readonly Finding[];
  /** Baseline fingerprints no finding has any more: fixed, to be removed. */
  readonly fixed: readonly string[];
}

/**
 * Reads a baseline file. A missing file is an empty baseline (so `--baseline f --update-baseline`
 * creates it); an unreadable one is a usage error naming the file.
 */
export async function readFindingBaseline(file: string): Promise<FindingBaseline> {
  if (!existsSync(file)) return { version: 1, findings: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new UsageError('IDGATE_BASELINE', `idgate: baseline ${file} is not valid JSON (${e instanceof Error ? e.message : String(e)})`, 'fix it, or rewrite it with --update-baseline');
  }
  const p = parsed as Partial<FindingBaseline>;
  if (p.version !== 1 || !Array.isArray(p.findings) || !p.findings.every((f: unknown) => typeof (f as { fingerprint?: unknown } | null)?.fingerprint === 'string')) {
    throw new UsageError('IDGATE_BASELINE', `idgate: baseline ${file} is not an idgate findings baseline (version 1, findings[].fingerprint)`, 'rewrite it with --update-baseline');
  }
  return { version: 1, findings: p.findings };
}

/** The baseline that accepts exactly `findings` (one entry per fingerprint, sorted), less the {@link NEVER_ACCEPTED} kinds. */
export function findingBaselineOf(findings: readonly Finding[]): FindingBaseline {
  const byPrint = new Map<string, string>();
  for (const f of findings) if (!NEVER_ACCEPTED.has(f.kind) && !byPrint.has(findingFingerprint(f))) byPrint.set(findingFingerprint(f), f.message);
  return { version: 1, findings: [...byPrint].sort(([a], [b]) => (a < b ? -1 : 1)).map(([fingerprint, message]) => ({ fingerprint, message })) };
}

/** Writes a baseline file (creating its folder), stable for diffs. */
export async function writeFindingBaseline(file: string, baseline: FindingBaseline): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(baseline, null, 2)}\n`);
}

/**
 * Splits `findings` into known and new against `baseline`, and lists the fixed fingerprints.
 * Findings of the {@link NEVER_ACCEPTED} kinds are always new.
 */
export function compareFindingBaseline(findings: readonly Finding[], baseline: FindingBaseline): FindingBaselineComparison {
  const accepted = new Set(baseline.findings.map((f) => f.fingerprint));
  const seen = new Set(findings.map(findingFingerprint));
  const isKnown = (f: Finding) => !NEVER_ACCEPTED.has(f.kind) && accepted.has(findingFingerprint(f));
  return {
    known: findings.filter(isKnown),
    new: findings.filter((f) => !isKnown(f)),
    fixed: [...accepted].filter((p) => !seen.has(p)).sort(),
  };
}
