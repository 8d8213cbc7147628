import { UsageError, type Finding, type ObservedBatch } from '../model/index.js';
import type { CatalogDefinition, ExtractionRule } from '../spec/index.js';
import { toCheckedBatch, type Check, type CheckContext } from './check.js';
import { CHECKS } from './checks-registry.js';
import type { EntropyOptions } from './entropy-options.js';

/** What the streaming checks report at the end of a run. */
export interface CheckResults {
  /** Findings per check, in the order the checks were named. */
  readonly findings: ReadonlyMap<string, readonly Finding[]>;
  /** The report tables of checks that keep one (the entropy check's `table()`), by check name. */
  readonly tables: Readonly<Record<string, readonly unknown[]>>;
}

/**
 * Runs a set of streaming checks over a run's batches, here or in a worker thread
 * ({@link startCheckThread}); either way the same checks see the same batches in the same order
 * and report the same findings.
 */
export interface CheckRunner {
  /** Hands one batch to every check. May resolve before the checks are done with it (bounded). */
  observe(observed: ObservedBatch): Promise<void>;
  /** Waits for every batch handed over, then reports. Call once. */
  finish(): Promise<CheckResults>;
  /** Releases the runner (ends its thread). Safe to call more than once. */
  close(): Promise<void>;
}

/**
 * A check context as plain data, so it can cross to a worker thread: the catalog as its
 * definition and the replay as the value every finding quotes.
 */
export interface CheckContextData {
  readonly catalog: CatalogDefinition;
  readonly users: readonly string[];
  readonly extractionRules: readonly ExtractionRule[];
  readonly maxExamples: number;
  readonly replay?: Finding['replay'];
  readonly entropy?: Partial<EntropyOptions>;
}

/** Throws {@link UsageError} for a check name not in {@link CHECKS}. */
export function validateCheckNames(names: readonly string[], where: string): void {
  for (const n of names) {
    if (!CHECKS.has(n)) throw new UsageError('IDGATE_UNKNOWN_CHECK', `${where}: no check named ${n}`, `use one of ${[...CHECKS.keys()].join(', ')}`);
  }
}

/** Runs the checks named `names` in this thread, one batch after the other. */
export function runChecksHere(names: readonly string[], context: CheckContext): CheckRunner {
  validateCheckNames(names, 'runChecksHere');
  const checks: Check[] = names.map((n) => CHECKS.get(n)!(context));
  let results: CheckResults | undefined;
  return {
    observe(observed) {
      const checked = toCheckedBatch(observed, context.catalog);
      for (const c of checks) c.observe(checked);
      return Promise.resolve();
    },
    finish() {
      results ??= { findings: new Map(checks.map((c) => [c.name, c.findings()])), tables: checkTables(checks) };
      return Promise.resolve(results);
    },
    close: () => Promise.resolve(),
  };
}

/** The report tables of checks that keep one (a `table()` method), by check name. */
function checkTables(checks: readonly Check[]): Record<string, readonly unknown[]> {
  const out: Record<string, readonly unknown[]> = {};
  for (const c of checks) {
    const table = (c as Check & { table?: unknown }).table;
    if (typeof table === 'function') out[c.name] = (table as () => unknown[]).call(c);
  }
  return out;
}
