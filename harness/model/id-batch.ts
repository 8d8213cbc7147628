import { isDomainName, type DomainName } from './domain-name.js';
import { UsageError } from './idgate-error.js';

/**
 * IDs of one domain, minted together, in columns. Thousands of IDs at once; never one object
 * per ID on a hot path. Every column has `ids.length` entries.
 */
export interface IdBatch {
  /** Unique within a run, so a resumed run never counts a batch twice. */
  readonly batchId: string;
  readonly domain: DomainName;
  readonly ids: readonly string[];
  /** For each ID, the index of its owner in the run's user table. */
  readonly owners: Uint32Array;
  /** For each ID, the worker (thread or process index) that minted it. */
  readonly workers: Uint16Array;
  /** For each ID, its sequence number within its worker. */
  readonly sequences: Uint32Array;
  /** For each ID, when it was minted, in ms since the epoch (NaN when unknown). */
  readonly times: Float64Array;
}

/** Input of {@link createIdBatch}: the columns not given get defaults. */
export interface IdBatchInit {
  readonly batchId: string;
  readonly domain: DomainName;
  readonly ids: readonly string[];
  /** One owner per ID, or one owner for all. */
  readonly owners: Uint32Array | readonly number[] | number;
  /** Default: 0 for every ID. */
  readonly worker?: number;
  /** Default: 0, 1, 2, … */
  readonly sequences?: Uint32Array;
  /** Default: NaN for every ID. */
  readonly times?: Float64Array;
}

/** Builds and validates an {@link IdBatch}; throws {@link UsageError} naming what is wrong. */
export function createIdBatch(init: IdBatchInit): IdBatch {
  const n = init.ids.length;
  let owners: Uint32Array;
  if (typeof init.owners === 'number') owners = new Uint32Array(n).fill(init.owners);
  else if (init.owners instanceof Uint32Array) owners = init.owners;
  else owners = Uint32Array.from(init.owners);
  const sequences = init.sequences ?? Uint32Array.from({ length: n }, (_, i) => i);
  const times = init.times ?? new Float64Array(n).fill(Number.NaN);
  const batch: IdBatch = {
    batchId: init.batchId,
    domain: init.domain,
    ids: init.ids,
    owners,
    workers: new Uint16Array(n).fill(init.worker ?? 0),
    sequences,
    times,
  };
  validateIdBatch(batch);
  validated.add(batch);
  return batch;
}

/**
 * Batches {@link createIdBatch} built and checked whole. Batches are immutable, so the ledgers'
 * {@link validateIdBatchShape} need not walk their IDs again (three ledgers did, per ID).
 */
const validated = new WeakSet<IdBatch>();

/**
 * Checks a batch before any ledger touches it: a valid domain and batch ID, columns of equal
 * length, and every ID a well-formed string (no lone surrogates: no store could keep such an ID
 * byte-exact, so it is rejected, never replaced). The error names the domain, batch and position.
 */
export function validateIdBatch(batch: IdBatch): void {
  // createIdBatch checked it whole, and batches are immutable: the set, each ledger and the
  // workload would otherwise join and scan every ID again per batch (a third of the ClickHouse
  // ledger's main-thread time in bench/).
  if (validated.has(batch)) return;
  validateIdBatchShape(batch);
  // One native call for the common case; positions only when something is wrong.
  const joined = batch.ids.join('');
  if (!joined.isWellFormed() || hasSurrogateAtEdge(batch.ids)) {
    for (let i = 0; i < batch.ids.length; i++) {
      if (!batch.ids[i]!.isWellFormed()) throw illFormedIdError(batch, i);
    }
  }
}

/**
 * Everything {@link validateIdBatch} checks except well-formedness, for ledgers that encode the
 * IDs anyway and find ill-formed ones while encoding (then they throw {@link illFormedIdError}).
 */
export function validateIdBatchShape(batch: IdBatch): void {
  if (validated.has(batch)) return;
  const where = describeBatch(batch);
  if (!isDomainName(batch.domain)) {
    throw new UsageError(
      'IDGATE_BAD_DOMAIN',
      `IdBatch: domain ${JSON.stringify(batch.domain)} is not a valid domain name`,
      'use snake_case: a lower-case letter, then lower-case letters, digits or _ (at most 64)',
    );
  }
  if (typeof batch.batchId !== 'string' || batch.batchId.length === 0 || batch.batchId.length > 200) {
    throw new UsageError('IDGATE_BAD_BATCH_ID', `IdBatch: ${where} has no usable batchId`, 'give each batch a unique, non-empty batchId of at most 200 characters');
  }
  const n = batch.ids.length;
  for (const [name, col] of [
    ['owners', batch.owners],
    ['workers', batch.workers],
    ['sequences', batch.sequences],
    ['times', batch.times],
  ] as const) {
    if (col.length !== n) {
      throw new UsageError('IDGATE_BAD_BATCH_COLUMNS', `IdBatch: ${where} has ${n} ids but ${col.length} ${name}`, 'give every column exactly one entry per ID');
    }
  }
  const ids = batch.ids;
  for (let i = 0; i < n; i++) {
    if (typeof ids[i] !== 'string') {
      throw new UsageError('IDGATE_BAD_ID', `IdBatch: ${where}, position ${i}: the ID is ${typeof ids[i]}, not a string`, 'targets must return IDs as strings');
    }
  }
}

/** The error for an ID holding a lone UTF-16 surrogate, naming domain, batch and position. */
export function illFormedIdError(batch: IdBatch, position: number): UsageError {
  return new UsageError(
    'IDGATE_ILL_FORMED_ID',
    `IdBatch: ${describeBatch(batch)}, position ${position}: the ID ${JSON.stringify(batch.ids[position])} holds a lone UTF-16 surrogate, which has no UTF-8 form`,
    'fix the target so that it mints well-formed Unicode strings; idgate rejects such IDs rather than altering them',
  );
}

function describeBatch(batch: IdBatch): string {
  return `batch ${JSON.stringify(batch.batchId)} of domain ${JSON.stringify(batch.domain)}`;
}

/** A lone surrogate at an ID's edge can pair with its neighbour's once joined; look for it. */
function hasSurrogateAtEdge(ids: readonly string[]): boolean {
  for (const id of ids) {
    if (id.length === 0) continue;
    const first = id.charCodeAt(0);
    const last = id.charCodeAt(id.length - 1);
    if ((first >= 0xdc00 && first <= 0xdfff) || (last >= 0xd800 && last <= 0xdbff)) return true;
  }
  return false;
}
