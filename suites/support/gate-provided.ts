import type { Finding } from '../../harness/model/index.js';

/** What `idgate gate` hands the suites' global setup: what to run. */
export interface GateRequest {
  readonly target: string;
  /** A second system that must read the target's IDs the same way (`--peer`). */
  readonly peer?: string;
  readonly profile: string;
  readonly seed: number;
  /** Overrides of the profile (e.g. `idsPerDomain`). */
  readonly overrides: Readonly<Record<string, unknown>>;
  /** The command line that replays this run. */
  readonly replay: string;
  /** Store URLs for the redis/clickhouse ledgers the profile names. */
  readonly redisUrl?: string;
  readonly clickhouseUrl?: string;
  /** The run's report folder; the setup writes result.json, summary.md and report.html there. */
  readonly outDir: string;
  /** `gate`, `golden` or `nightly` (default `gate`). */
  readonly command?: string;
  /** The run's ID, named in reports (default: the folder's name). */
  readonly runId?: string;
  /** ISO 8601 start of the run (default: when the setup starts). */
  readonly startedAt?: string;
  /** An idgate.config.ts whose domains extend the catalog (absolute path). Default: none. */
  readonly configFile?: string;
  /** An accepted-findings baseline: known findings do not fail; `update` rewrites it first. Default: none. */
  readonly baseline?: { readonly file: string; readonly update: boolean };
}

/** What the global setup hands every suite: the run's findings and what was checked. */
export interface GateSummary {
  readonly target: string;
  readonly profile: string;
  readonly seed: number;
  readonly replay: string;
  readonly users: readonly string[];
  /** Findings that fail the run (a baseline's known findings are left out). */
  readonly findings: readonly Finding[];
  /** Findings a baseline accepts: reported, not failing. Empty without a baseline. */
  readonly known?: readonly Finding[];
  /** Domains minted, in minting order. */
  readonly domains: readonly string[];
  /** Per check, the domains it looked at. */
  readonly checked: Readonly<Record<string, readonly string[]>>;
  readonly ledgers: readonly string[];
  readonly propertyRuns: number;
  readonly propertyTimeLimitMs: number;
  /** The source tree audited for ID minting outside the SSOT modules, when the config names one. */
  readonly audit?: { readonly root: string; readonly files: number };
}

declare module 'vitest' {
  export interface ProvidedContext {
    idgateGate: GateRequest;
    idgateSummary: GateSummary;
  }
}
