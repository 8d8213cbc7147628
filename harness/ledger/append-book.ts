import { UsageError, validateIdBatch, type DomainName, type IdBatch, type InfrastructureError } from '../model/index.js';

/** Per domain, the IDs a store ledger was handed and the IDs its store acknowledged. */
export interface AppendTally {
  appended: number;
  acknowledged: number;
}

/**
 * The bookkeeping a store-backed ledger keeps around its writes: whether it is closed or broken
 * (a store failure sticks: every later call rethrows it), the batches it took (a batch handed over
 * twice is taken once), and per domain the IDs appended and acknowledged. Counting `appended`
 * before the write is sent is what makes a write the store never acknowledges show as lost.
 */
export class AppendBook<T extends AppendTally> {
  closed = false;
  broken: InfrastructureError | undefined;
  readonly batches = new Set<string>();
  readonly domains = new Map<DomainName, T>();

  /** `ledger` names the ledger in errors (`RedisLedger`); `tally` makes a domain's first tally. */
  constructor(
    private readonly ledger: string,
    private readonly tally: () => T,
  ) {}

  /** Throws a {@link UsageError} naming `<ledger>.<method>` when closed, and the failure when broken. */
  ensureOpen(method: string, remedy: string): void {
    if (this.closed) throw new UsageError('IDGATE_LEDGER_CLOSED', `${this.ledger}.${method}: the ledger is closed`, remedy);
    if (this.broken) throw this.broken;
  }

  /**
   * The start of every append: open, not broken, a valid batch. Returns `undefined` for a batch
   * taken before, else its domain's tally with the batch's IDs already counted as appended.
   */
  admit(batch: IdBatch): T | undefined {
    this.ensureOpen('append', 'open a new ledger');
    validateIdBatch(batch);
    if (this.batches.has(batch.batchId)) return undefined;
    this.batches.add(batch.batchId);
    let tally = this.domains.get(batch.domain);
    if (tally === undefined) {
      tally = this.tally();
      this.domains.set(batch.domain, tally);
    }
    tally.appended += batch.ids.length;
    return tally;
  }

  /** Runs a verify that reads the store; a store failure comes out as `infra('verify', e)`. */
  async verify<V>(run: () => Promise<V>, infra: (what: string, e: unknown) => InfrastructureError): Promise<V> {
    this.ensureOpen('verify', 'verify before close');
    try {
      return await run();
    } catch (e) {
      throw infra('verify', e);
    }
  }
}
