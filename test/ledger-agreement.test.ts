import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, inject, it } from 'vitest';
import { createIdBatch, seededUniform, UsageError, type IdBatch } from '../harness/model/index.js';
import { ClickHouseLedger, comparableVerdict, MemoryLedger, RedisLedger, type Ledger } from '../harness/ledger/index.js';

/** The hostile corpus: listed IDs plus the `generated` long ones. */
function hostileIds(): string[] {
  const raw = JSON.parse(readFileSync(new URL('../fixtures/hostile-ids.json', import.meta.url), 'utf8')) as {
    ids: string[];
    generated: { char: string; length: number }[];
  };
  return [...raw.ids, ...raw.generated.map((g) => g.char.repeat(g.length))];
}
const HOSTILE = hostileIds();
const WELL_FORMED = HOSTILE.filter((id) => id.isWellFormed());
const ILL_FORMED = HOSTILE.filter((id) => !id.isWellFormed());
const DOMAINS = ['user', 'run', 'thread'] as const;

/** A batch as fast-check draws it: the IDs come from a small PRNG seeded by `seed`. */
interface BatchPlan {
  readonly domain: (typeof DOMAINS)[number];
  readonly size: number;
  readonly seed: number;
  /** Share (of 1000) of IDs drawn from a small shared pool: planted duplicates across batches. */
  readonly shared: number;
  /** Share (of 1000) of hostile IDs. */
  readonly hostile: number;
  readonly owners: number;
  /** Re-append an earlier batch's ID (a resumed run) instead of a new one. */
  readonly replayOf: number | null;
  /** Put one lone surrogate at this share of the batch: every ledger must reject it alike. */
  readonly illFormedAt: number | null;
}


function buildBatch(plan: BatchPlan, index: number, built: readonly IdBatch[]): IdBatch {
  if (plan.replayOf !== null && built.length > 0) return built[plan.replayOf % built.length]!;
  const rnd = seededUniform(plan.seed);
  const ids: string[] = [];
  const owners = new Uint32Array(plan.size);
  for (let i = 0; i < plan.size; i++) {
    const r = rnd() * 1000;
    if (r < plan.hostile) ids.push(WELL_FORMED[Math.floor(rnd() * WELL_FORMED.length)]!);
    else if (r < plan.hostile + plan.shared) ids.push(`shared_${Math.floor(rnd() * 40)}`);
    else ids.push(`b${index}_${plan.seed}_${i}`);
    owners[i] = Math.floor(rnd() * plan.owners);
  }
  if (plan.illFormedAt !== null && plan.size > 0) ids[Math.floor((plan.illFormedAt / 1000) * plan.size) % plan.size] = ILL_FORMED[plan.seed % ILL_FORMED.length]!;
  return { ...createIdBatch({ batchId: `batch-${index}`, domain: plan.domain, ids: ids.map((id) => (id.isWellFormed() ? id : 'x')), owners }), ids };
}

/** `null` most of the time, a value about one time in eight. */
function rarely<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null> {
  return fc.oneof({ arbitrary: fc.constant(null), weight: 7 }, { arbitrary: arb, weight: 1 });
}

const planArb: fc.Arbitrary<BatchPlan> = fc.record({
  domain: fc.constantFrom(...DOMAINS),
  size: fc.oneof({ arbitrary: fc.integer({ min: 1, max: 60 }), weight: 8 }, { arbitrary: fc.integer({ min: 1, max: 20_000 }), weight: 1 }),
  seed: fc.nat(),
  shared: fc.integer({ min: 0, max: 600 }),
  hostile: fc.integer({ min: 0, max: 300 }),
  owners: fc.integer({ min: 1, max: 4 }),
  replayOf: rarely(fc.nat()),
  illFormedAt: rarely(fc.integer({ min: 0, max: 999 })),
});

/** Appends to all ledgers; a batch one rejects, all must reject with the same usage error. */
async function appendAll(ledgers: readonly Ledger[], batch: IdBatch): Promise<void> {
  const results = await Promise.allSettled(ledgers.map((l) => l.append(batch)));
  const messages = results.map((r) => (r.status === 'rejected' ? (r.reason instanceof UsageError ? r.reason.message : `not a UsageError: ${String(r.reason)}`) : 'ok'));
  expect(new Set(messages).size, messages.join(' | ')).toBe(1);
}

async function openAll(maxExamples: number): Promise<Ledger[]> {
  const { redisUrl, clickhouseUrl } = inject('stores');
  const ledgers: Ledger[] = [new MemoryLedger({ maxExamples })];
  try {
    ledgers.push(await RedisLedger.open({ url: redisUrl, maxExamples }));
    ledgers.push(await ClickHouseLedger.open({ url: clickhouseUrl, maxExamples }));
  } catch (e) {
    await Promise.allSettled(ledgers.map((l) => l.close()));
    throw e;
  }
  return ledgers;
}

async function expectAgreement(ledgers: readonly Ledger[]): Promise<void> {
  const [memory, ...stores] = await Promise.all(ledgers.map((l) => l.verify()));
  for (const v of stores) expect(comparableVerdict(v), `${v.ledger} disagrees with memory`).toEqual(comparableVerdict(memory!));
}

const seedFromEnv = process.env.IDGATE_SEED === undefined ? undefined : Number(process.env.IDGATE_SEED);

describe('memory, Redis and ClickHouse ledgers', () => {
  it('agree on tallies, examples and findings for any sequence of batches', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(planArb, { minLength: 1, maxLength: 6 }), fc.integer({ min: 0, max: 12 }), async (plans, maxExamples) => {
        const ledgers = await openAll(maxExamples);
        try {
          const built: IdBatch[] = [];
          for (const [i, plan] of plans.entries()) {
            const batch = buildBatch(plan, i, built);
            built.push(batch);
            await appendAll(ledgers, batch);
          }
          await expectAgreement(ledgers);
        } finally {
          await Promise.all(ledgers.map((l) => l.close()));
        }
      }),
      { numRuns: 100, seed: seedFromEnv },
    );
  }, 240_000);

  it('agree on one million IDs with planted duplicates and cross-owner reuse', async () => {
    const ledgers = await openAll(100);
    try {
      const rnd = seededUniform(seedFromEnv ?? 20_240_601);
      const per = 20_000;
      for (let b = 0; b < 50; b++) {
        const ids = new Array<string>(per);
        const owners = new Uint32Array(per);
        for (let i = 0; i < per; i++) {
          const r = rnd();
          // ~1 in 2000 IDs re-mints an ID of an earlier batch, often for another user.
          ids[i] = r < 0.0005 && b > 0 ? `id_${Math.floor(rnd() * b)}_${Math.floor(rnd() * per)}` : `id_${b}_${i}`;
          owners[i] = Math.floor(rnd() * 100);
        }
        await appendAll(ledgers, createIdBatch({ batchId: `big-${b}`, domain: b % 3 === 0 ? 'run' : 'user', ids, owners }));
      }
      await expectAgreement(ledgers);
      const v = await ledgers[1]!.verify();
      expect(v.domains.reduce((s, d) => s + d.appended, 0)).toBe(1_000_000);
      expect(v.duplicates.length).toBeGreaterThan(0);
      expect(v.multiOwner.length).toBeGreaterThan(0);
    } finally {
      await Promise.all(ledgers.map((l) => l.close()));
    }
  }, 180_000);
});
