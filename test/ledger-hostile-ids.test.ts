import { readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import { createIdBatch, UsageError, type IdBatch } from '../harness/model/index.js';
import { ClickHouseLedger, compareIds, comparableVerdict, MemoryLedger, RedisLedger, type Ledger } from '../harness/ledger/index.js';

const raw = JSON.parse(readFileSync(new URL('../fixtures/hostile-ids.json', import.meta.url), 'utf8')) as {
  ids: string[];
  generated: { char: string; length: number }[];
};
const CORPUS = [...raw.ids, ...raw.generated.map((g) => g.char.repeat(g.length))];
const STORABLE = [...new Set(CORPUS.filter((id) => id.isWellFormed()))];
const LONE = CORPUS.filter((id) => !id.isWellFormed());

/** A batch holding `ids` as given (no validation here: the ledgers must do it). */
function rawBatch(batchId: string, domain: string, ids: string[], owner: number): IdBatch {
  const ok = createIdBatch({ batchId, domain, ids: ids.map(() => 'x'), owners: owner });
  return { ...ok, ids };
}

describe('hostile IDs in every ledger', () => {
  it('the corpus holds what the issue names', () => {
    expect(STORABLE).toContain('');
    expect(STORABLE.some((id) => id.length === 1_048_576)).toBe(true);
    expect(LONE.length).toBeGreaterThanOrEqual(3);
  });

  it('are stored and read back byte-exact, or rejected naming domain and batch position', async () => {
    const { redisUrl, clickhouseUrl } = inject('stores');
    const maxExamples = STORABLE.length + 10;
    const memory = new MemoryLedger({ maxExamples });
    const redis = await RedisLedger.open({ url: redisUrl, maxExamples });
    const clickhouse = await ClickHouseLedger.open({ url: clickhouseUrl, maxExamples }).catch(async (e: unknown) => {
      await redis.close();
      throw e;
    });
    const ledgers: Ledger[] = [memory, redis, clickhouse];
    try {
      // Each lone surrogate, at a known position, is rejected by every ledger with the same words.
      for (const [k, lone] of LONE.entries()) {
        const batch = rawBatch(`lone-${k}`, 'user', ['fine', 'also fine', lone], 7);
        for (const l of ledgers) {
          const err = await l.append(batch).then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(err, l.kind).toBeInstanceOf(UsageError);
          expect((err as Error).message).toContain(`batch "lone-${k}" of domain "user", position 2`);
        }
      }
      // Every storable ID twice: once per domain, different owners. Each then comes back as a
      // duplicate example, i.e. as the store itself returns its bytes.
      const a = createIdBatch({ batchId: 'hostile-a', domain: 'user', ids: STORABLE, owners: 1 });
      const b = createIdBatch({ batchId: 'hostile-b', domain: 'run', ids: STORABLE, owners: 2 });
      for (const l of ledgers) {
        await l.append(a);
        await l.append(b);
      }
      const [vm, vr, vc] = await Promise.all(ledgers.map((l) => l.verify()));
      const expected = [...STORABLE].sort(compareIds);
      for (const v of [vm!, vr!, vc!]) {
        expect(v.domains.map((d) => [d.domain, d.appended, d.stored, d.distinct, d.crossDomainIds]), v.ledger).toEqual([
          ['run', STORABLE.length, STORABLE.length, STORABLE.length, STORABLE.length],
          ['user', STORABLE.length, STORABLE.length, STORABLE.length, STORABLE.length],
        ]);
        const back = v.duplicates.map((e) => e.id);
        expect(back.length, v.ledger).toBe(expected.length);
        back.forEach((id, i) => expect(Buffer.from(id, 'utf8').equals(Buffer.from(expected[i]!, 'utf8')), `${v.ledger}: ID ${i}`).toBe(true));
      }
      expect(comparableVerdict(vr!)).toEqual(comparableVerdict(vm!));
      expect(comparableVerdict(vc!)).toEqual(comparableVerdict(vm!));
      // Direct read-back of specific IDs.
      expect(await redis.holds(STORABLE)).toEqual(STORABLE.map(() => true));
      expect(await redis.holds(['not stored', 'fine'])).toEqual([false, false]);
      expect(await clickhouse.lookup(STORABLE)).toEqual(expected);
    } finally {
      await Promise.all(ledgers.map((l) => l.close()));
    }
  }, 120_000);
});
