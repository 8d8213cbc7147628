/** What a gate run is about to do, for progress displays. */
export interface GatePlan {
  /** Domains in minting order. */
  readonly domains: readonly string[];
  /** IDs minted per domain. */
  readonly idsPerDomain: number;
  /** Ledgers written to, the memory ledger first. */
  readonly ledgers: readonly string[];
}

/**
 * Hooks runGate calls as a run goes: IDs minted per domain, written per ledger, ledgers
 * verifying. Implementations draw bars on a terminal or print bounded plain lines.
 */
export interface GateProgress {
  start(plan: GatePlan): void;
  /** `minted` of `total` IDs of `domain` are minted. */
  minted(domain: string, minted: number, total: number): void;
  /** `ledger` took `count` more IDs of `domain` (Redis: acknowledged; ClickHouse: into its write buffer, acknowledged by the flush before the verdicts). */
  written(ledger: string, domain: string, count: number): void;
  /** The ledgers started (`false`) or finished (`true`) answering their verdicts. */
  verifying(ledgers: readonly string[], done: boolean): void;
  /** The run ended: clear bars, print a last line if anything was shown. Idempotent. */
  stop(): void;
}

/** A {@link GateProgress} that shows nothing. */
export const SILENT_PROGRESS: GateProgress = { start: () => undefined, minted: () => undefined, written: () => undefined, verifying: () => undefined, stop: () => undefined };
