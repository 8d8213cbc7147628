import type { DomainName, Finding, IdBatch } from '../model/index.js';

/** The ledger implementations idgate ships. */
export type LedgerKind = 'memory' | 'redis' | 'clickhouse';

/**
 * What a ledger knows about one domain. Every ledger answers these numbers identically for the
 * same appends (the agreement property); where a number cannot be answered it is `undefined`.
 */
export interface DomainTally {
  readonly domain: DomainName;
  /** IDs appended to this domain by the harness (occurrences, not distinct). */
  readonly appended: number;
  /** Occurrences the ledger actually holds; less than `appended` means lost writes. */
  readonly stored: number;
  /** Distinct IDs in this domain. */
  readonly distinct: number;
  /** Distinct IDs that occur more than once within this domain. */
  readonly duplicateIds: number;
  /** Distinct IDs of this domain that occur in another domain too. */
  readonly crossDomainIds: number;
  /** Distinct IDs of this domain that two or more owners hold within it. */
  readonly multiOwnerIds: number;
}

/** One ID that breaks uniqueness or ownership, with where and by whom it was seen. */
export interface IdExample {
  readonly id: string;
  /** Domains it occurs in, sorted. */
  readonly domains: readonly DomainName[];
  /** Occurrences in each of `domains`, same order. */
  readonly counts: readonly number[];
  /** Occurrences over all domains. */
  readonly occurrences: number;
  /** Distinct owners over all domains, sorted ascending. */
  readonly owners: readonly number[];
  /** Domains in which two or more owners hold it, sorted (empty when no domain has two). */
  readonly multiOwnerDomains: readonly DomainName[];
}

/** A ledger's answer after all appends: tallies, examples, and the findings they imply. */
export interface LedgerVerdict {
  readonly ledger: LedgerKind;
  /** One tally per domain appended to, sorted by domain name. */
  readonly domains: readonly DomainTally[];
  /** IDs that occur more than once (within or across domains): up to `maxExamples`, sorted by ID. */
  readonly duplicates: readonly IdExample[];
  /** IDs held by two or more owners within one domain: up to `maxExamples`, sorted by ID. */
  readonly multiOwner: readonly IdExample[];
  /** `duplicate`, `multi-owner`, `lost-write`, `unexpected` findings. */
  readonly findings: readonly Finding[];
}

/**
 * Where a run records every ID it sees. Appends are idempotent per `batchId` (a resumed run
 * never counts a batch twice). A ledger that cannot do its job throws an
 * `InfrastructureError`; it never answers as if all were well.
 */
export interface Ledger {
  readonly kind: LedgerKind;
  /**
   * Records a batch. Resolves once the ledger holds it — for Redis once acknowledged; the
   * ClickHouse ledger writes behind, and resolves once the batch is in its bounded write buffer.
   */
  append(batch: IdBatch): Promise<void>;
  /**
   * Resolves once the store acknowledged every batch whose append resolved; throws the store's
   * failure (`InfrastructureError`) when a write it took was refused. `verify()` flushes first.
   */
  flush(): Promise<void>;
  /** Answers uniqueness, ownership and count reconciliation over everything appended. */
  verify(): Promise<LedgerVerdict>;
  /**
   * Releases resources and deletes the ledger's own namespace, nothing else. Idempotent. Batches
   * a write-behind ledger still buffers go with the namespace (appends and flushes still waiting
   * fail); a ledger that keeps its namespace (a shard) writes them first and throws if it cannot.
   */
  close(): Promise<void>;
}

/** Options every ledger accepts. */
export interface LedgerOptions {
  /** How many example IDs a verdict lists per list. Default: 100. */
  readonly maxExamples?: number;
}
