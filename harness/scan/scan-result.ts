import type { Finding } from '../model/index.js';

/** How far a scan is: what it has gone through out of what the store holds. */
export interface ScanProgress {
  /** Keys (Redis, an estimate: SCAN visits about COUNT keys a call) or rows (ClickHouse) gone through. */
  readonly done: number;
  /** Keys (DBSIZE, summed over masters) or rows (the table's row count). */
  readonly total: number;
  readonly unit: 'keys' | 'rows';
  /** Since the scan started. */
  readonly elapsedMs: number;
}

/** What a scan found and how much it read. */
export interface ScanResult {
  /** Every finding, in the shape a gate run reports them. */
  readonly findings: readonly Finding[];
  /** Owner table: a finding's owner index i is `users[i]`. */
  readonly users: readonly string[];
  /** Numbers behind the findings, for the report (keys, rows, IDs, masters, …). */
  readonly stats: Readonly<Record<string, number>>;
  /** Domains whose IDs the scan checked. */
  readonly domains: readonly string[];
  readonly wallMs: number;
}
