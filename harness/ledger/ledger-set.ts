import { validateIdBatch, type Finding, type IdBatch } from '../model/index.js';
import type { Ledger, LedgerKind, LedgerVerdict } from './ledger.js';

/** What {@link LedgerSet.verify} answers. */
export interface LedgerSetVerdict {
  /** The verdict of every ledger that could still answer, in the set's order. */
  readonly verdicts: readonly LedgerVerdict[];
  /** Every verdict's findings plus one `infrastructure` finding per failed ledger. */
  readonly findings: readonly Finding[];
}

interface Member {
  readonly ledger: Ledger;
  appended: number;
  /** IDs of appends that resolved (a write-behind ledger has taken them, not yet stored them). */
  taken: number;
  /** `taken` as of the last flush that succeeded. */
  acknowledged: number;
  failure: unknown;
}

/**
 * Appends every batch to several ledgers at once and keeps going when one fails: the failed
 * ledger gets no more writes, and `verify()` reports it as an `infrastructure` finding (exit 3)
 * next to the others' verdicts — a dead store ends a run as "proves nothing", never as a pass.
 * Per ledger it counts IDs appended and IDs acknowledged (as of the last `flush()`; `verify()`
 * flushes first): a write that was not acknowledged is never counted as stored.
 */
export class LedgerSet {
  private readonly members: Member[];

  constructor(ledgers: readonly Ledger[]) {
    this.members = ledgers.map((ledger) => ({ ledger, appended: 0, taken: 0, acknowledged: 0, failure: undefined }));
  }

  /**
   * Validates the batch once (a bad batch throws `UsageError` before any ledger sees it), then
   * appends it to every healthy ledger concurrently. Store failures are recorded, not thrown.
   */
  async append(batch: IdBatch): Promise<void> {
    validateIdBatch(batch);
    await Promise.all(
      this.members.map(async (m) => {
        if (m.failure !== undefined) return;
        m.appended += batch.ids.length;
        try {
          await m.ledger.append(batch);
          m.taken += batch.ids.length;
        } catch (e) {
          m.failure = e;
        }
      }),
    );
  }

  /**
   * Waits until every healthy ledger's store acknowledged what it took (see {@link Ledger.flush});
   * a ledger whose store refused a write is recorded as failed, not thrown.
   */
  async flush(): Promise<void> {
    await Promise.all(this.members.map((m) => this.flushMember(m)));
  }

  private async flushMember(m: Member): Promise<void> {
    if (m.failure !== undefined) return;
    const taken = m.taken;
    try {
      await m.ledger.flush();
      m.acknowledged = taken;
    } catch (e) {
      m.failure = e;
    }
  }

  /** IDs a ledger's store acknowledged as of the last {@link flush} (`kind` names it; the first of that kind). */
  acknowledged(kind: LedgerKind): number {
    return this.members.find((m) => m.ledger.kind === kind)?.acknowledged ?? 0;
  }

  /** True when some ledger has failed. */
  get failed(): boolean {
    return this.members.some((m) => m.failure !== undefined);
  }

  /** Flushes, then verifies every healthy ledger; failed ones (before or during verify) become findings. */
  async verify(): Promise<LedgerSetVerdict> {
    const verdicts: LedgerVerdict[] = [];
    await Promise.all(
      this.members.map(async (m) => {
        await this.flushMember(m);
        if (m.failure !== undefined) return;
        try {
          verdicts.push(await m.ledger.verify());
        } catch (e) {
          m.failure = e;
        }
      }),
    );
    const order = (v: LedgerVerdict) => this.members.findIndex((m) => m.ledger.kind === v.ledger);
    verdicts.sort((a, b) => order(a) - order(b));
    const findings: Finding[] = verdicts.flatMap((v) => v.findings);
    for (const m of this.members) {
      if (m.failure === undefined) continue;
      const why = m.failure instanceof Error ? m.failure.message.split('\n')[0]! : JSON.stringify(m.failure);
      findings.push({
        kind: 'infrastructure',
        source: m.ledger.kind,
        message: `the ${m.ledger.kind} ledger failed; the run proves nothing: ${why}`,
        ids: [],
        owners: [],
        evidence: { ledger: m.ledger.kind, appended: m.appended, acknowledged: m.acknowledged, error: why },
      });
    }
    return { verdicts, findings };
  }

  /** Closes every ledger; resolves when all have tried, throws the first error afterwards. */
  async close(): Promise<void> {
    const results = await Promise.allSettled(this.members.map((m) => m.ledger.close()));
    const bad = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (bad) throw bad.reason;
  }
}
