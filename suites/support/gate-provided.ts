import type { Finding } from '../../harness/model/index.js';

/** What `idgate gate` hands the suites' global setup: what to run. */
export interface GateRequest {
  readonly target: string;
  readonly profile: string;
  readonly seed: number;
  /** Overrides of the profile (e.g. `idsPerDomain`). */
  readonly overrides: Readonly<Record<string, unknown>>;
  /** The command line that replays this run. */
  readonly replay: string;
  /** Store URLs for the redis/clickhouse ledgers the profile names. */
  readonly redisUrl?: string;
  readonly clickhouseUrl?: string;
  /** The run's report folder; the setup writes result.json there. */
  readonly outDir: string;
}

/** What the global setup hands every suite: the run's findings and what was checked. */
export interface GateSummary {
  readonly target: string;
  readonly profile: string;
  readonly seed: number;
  readonly replay: string;
  readonly users: readonly string[];
  readonly findings: readonly Finding[];
  /** Domains minted, in minting order. */
  readonly domains: readonly string[];
  /** Per check, the domains it looked at. */
  readonly checked: Readonly<Record<string, readonly string[]>>;
  readonly ledgers: readonly string[];
  readonly propertyRuns: number;
  readonly propertyTimeLimitMs: number;
}

declare module 'vitest' {
  export interface ProvidedContext {
    idgateGate: GateRequest;
    idgateSummary: GateSummary;
  }
}
