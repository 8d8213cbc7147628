/** One namespace or container a crashed idgate run may have left behind. */
export interface Leftover {
  /** `redis`, `clickhouse` or `container`. */
  readonly store: 'redis' | 'clickhouse' | 'container';
  /** The run ID (Redis, ClickHouse) or the container ID. */
  readonly name: string;
  /** What it holds, for people: `12 keys`, `database idgate_r…`, `container abc (exited)`. */
  readonly what: string;
  /** Seconds since it was last written, where the store tells; undefined when unknown. */
  readonly idleSeconds: number | undefined;
}

/** What a cleaner did with its leftovers. */
export interface CleanOutcome {
  readonly found: readonly Leftover[];
  /** Those removed (empty on a dry run). */
  readonly removed: readonly Leftover[];
}

/** Run IDs as every idgate ledger names its namespace (see validateRunId in harness/ledger). */
export const RUN_ID_PATTERN = /^[a-z0-9][a-z0-9_]{0,47}$/;
