import type { DomainName, ExitCode, Finding } from '../model/index.js';

/** The version of the {@link RunReport} shape; `docs/schema/run-report.schema.json` describes it. */
export const RUN_REPORT_SCHEMA_VERSION = 1;

/** What one ledger held for one domain after the run. */
export interface LedgerDomainCount {
  readonly domain: DomainName;
  /** IDs the harness appended. */
  readonly appended: number;
  /** Occurrences the ledger holds (less than `appended`: lost writes). */
  readonly stored: number;
  /** Distinct IDs the ledger holds. */
  readonly distinct: number;
}

/** One sample of the ingest time series. */
export interface IngestSample {
  /** Milliseconds since the workload started. */
  readonly tMs: number;
  /** IDs minted so far, over all domains. */
  readonly minted: number;
  /** IDs acknowledged so far by each ledger's store (the memory ledger: appended). */
  readonly written: Readonly<Record<string, number>>;
}

/** Per-domain randomness figures from the entropy check, where it reported them. */
export interface EntropyRow {
  readonly domain: DomainName;
  /** Bits of randomness estimated from the observed IDs. */
  readonly estimatedBits?: number;
  /** Bits the domain's spec claims. */
  readonly claimedBits?: number;
  /** Bits needed to stay under the collision threshold at production volume. */
  readonly neededBits?: number;
  /** Projected probability of any collision at production volume. */
  readonly collisionProbability?: number;
}

/** How the run's findings compare with an accepted-findings baseline. */
export interface BaselineOutcome {
  /** The baseline file. */
  readonly file: string;
  /** Whether this run rewrote it (`--update-baseline`). */
  readonly updated: boolean;
  /** Fingerprints found and accepted: reported, not failing. */
  readonly known: readonly string[];
  /** Fingerprints found and not in the baseline: failing. */
  readonly new: readonly string[];
  /** Fingerprints in the baseline no longer found: remove them (`--update-baseline`). */
  readonly fixed: readonly string[];
}

/** Latency percentiles of one metric, ms (null where nothing was measured). */
export interface LatencyRow {
  /** Samples behind the figures. */
  readonly count: number;
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
  readonly max: number | null;
}

/** What the golden-path flow of a target run (`idgate golden`, or a profile with a flow) did. */
export interface FlowRunFacts {
  /** Users interleaved, the steps they took and the IDs they minted, in the first execution. */
  readonly users: number;
  readonly steps: number;
  readonly idsMinted: number;
  /** Target restarts injected by the profile's faults. */
  readonly restarts: number;
  /** Executions: 1, plus one per shrink attempt. */
  readonly executions: number;
  /** Wall time of the first execution and of everything (shrinking included), ms. */
  readonly firstMs: number;
  readonly wallMs: number;
  /** Users through the flow per second of the first execution. */
  readonly usersPerSecond: number;
  /** Checks the flow could not exercise, and why (e.g. no Redis for cleanup). */
  readonly skipped: readonly string[];
  /** The smallest failing interleaving fast-check shrank to, when one failed. */
  readonly counterexample?: { readonly seed: number; readonly path: string; readonly users: readonly number[]; readonly schedule: readonly string[] };
}

/** What a service golden path run (`idgate golden --service`) measured. */
export interface ServiceRunFacts {
  /** The service's base URL (credentials redacted). */
  readonly url: string;
  /** The fixture mode, when idgate started the bundled fixture service. */
  readonly fixtureMode?: string;
  /** Users whose whole path completed. */
  readonly completed: number;
  readonly usersPerSecond: number;
  /** Events the users' sockets received. */
  readonly events: number;
  /** Login to last delivery per user. */
  readonly path: LatencyRow;
  /** Per step: `login`, `socket`, `createThread`, `startRun`, `sendMessage`, `delivery`, `disconnect`. */
  readonly steps: Readonly<Record<string, LatencyRow>>;
  /** Each k6-style threshold and what was measured (null: no sample). */
  readonly thresholds: readonly { readonly metric: string; readonly expression: string; readonly measured: number | null; readonly ok: boolean }[];
  /** What was not checked, and why. */
  readonly skipped: readonly string[];
}

/**
 * Everything a run's reports are rendered from, written as `result.json`. Credentials never
 * appear in it (URLs are redacted before it is written). Since schema version 1.
 */
export interface RunReport {
  readonly schemaVersion: typeof RUN_REPORT_SCHEMA_VERSION;
  /** idgate's version that wrote it. */
  readonly idgateVersion: string;
  readonly runId: string;
  /** `gate`, `golden` or `nightly`. */
  readonly command: string;
  readonly target: string;
  readonly profile: string;
  readonly seed: number;
  /** Users in the run's user table. */
  readonly users: number;
  /** ISO 8601 time the run started. */
  readonly startedAt: string;
  /** The configuration file used, if any. */
  readonly configFile?: string;
  /** The command that replays the run. */
  readonly replay: string;
  /** The run's exit code after the baseline is applied. */
  readonly exitCode: ExitCode;
  /** Check thresholds in force. */
  readonly thresholds: Readonly<Record<string, number>>;
  /** IDs minted per domain, in minting order. */
  readonly domains: readonly { readonly domain: DomainName; readonly minted: number; readonly batches: number }[];
  /** What each ledger held, per domain. */
  readonly ledgers: readonly { readonly ledger: string; readonly domains: readonly LedgerDomainCount[] }[];
  /** Per check, the domains it looked at. */
  readonly checked: Readonly<Record<string, readonly DomainName[]>>;
  readonly timings: {
    /** The whole run, from target start to verdicts. */
    readonly wallMs: number;
    /** Minting (the workload). */
    readonly workloadMs: number;
    /** Time spent in each ledger's appends. */
    readonly ledgerMs: Readonly<Record<string, number>>;
  };
  /** Ingest over time, bounded to a few hundred samples. */
  readonly series: readonly IngestSample[];
  /** Entropy figures per domain; empty when the entropy check reported none. */
  readonly entropy: readonly EntropyRow[];
  /** Every finding, accepted ones included (see `baseline`). */
  readonly findings: readonly Finding[];
  /** User IDs of the owners findings name, by owner index. */
  readonly owners: Readonly<Record<string, string>>;
  readonly baseline?: BaselineOutcome;
  /** Present for service golden path runs: latencies, users/s, thresholds. */
  readonly service?: ServiceRunFacts;
  /** Present when the run had a golden-path flow against a target. */
  readonly flow?: FlowRunFacts;
}
