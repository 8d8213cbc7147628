import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cleanupCheck, routingCheck } from '../harness/checks/index.js';
import { defaultCatalog } from '../harness/spec/index.js';
import { FlowRouter, RedisUserState } from '../harness/workload/index.js';

// The cleanup exercise against real Redis, and the cleanup and routing checks over what it
// records: a cleanup pattern naming the whole user never touches another user; one naming the
// first 8 characters is caught exactly when it reaches a user still holding state.
const hex = (u: string) => Buffer.from(u, 'utf8').toString('hex');
const users = fc.uniqueArray(fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.string({ minLength: 0, maxLength: 4 }).map((s) => `abcd${s}`)), { minLength: 2, maxLength: 8 });
let redis: Redis;
let run = 0;

beforeAll(async () => {
  redis = new Redis(inject('stores').redisUrl, { lazyConnect: true });
  await redis.connect();
});
afterAll(() => redis.disconnect());

async function exercise(table: string[], pattern: (user: string) => string) {
  const state = new RedisUserState(redis, `idgate:test${process.pid}c${run++}:`);
  try {
    for (let u = 0; u < table.length; u++) await state.write(u, 'session', [`session_${hex(table[u]!)}_1`, `session_${hex(table[u]!)}_2`]);
    for (let u = 0; u < table.length; u++) {
      await state.cleanup(u, [pattern(table[u]!)]);
      if (u === 0) await state.snapshot();
    }
    await state.snapshot();
    return { observations: state.observations(), left: (await redis.keys(`idgate:test${process.pid}c${run - 1}:*`)).length };
  } finally {
    await state.drop();
  }
}

describe('cleanup exercise in real Redis', () => {
  it('a pattern naming the whole user leaves every other user intact and its own state gone', async () => {
    await fc.assert(
      fc.asyncProperty(users, async (table) => {
        const { observations } = await exercise(table, (u) => `session_${hex(u)}_*`);
        const found = cleanupCheck({ catalog: defaultCatalog(), users: table, extractionRules: [], maxExamples: 5 }).judge({ target: 't', users: table.map((_, i) => i), cleanup: observations, skipped: [] });
        expect(found).toEqual([]);
        expect(observations.scans.at(-1)!.present).toEqual([]);
      }),
      { numRuns: 25 },
    );
  });

  it("a pattern naming only the first 8 characters is caught deleting another user's keys exactly when it reaches a user still holding state", async () => {
    await fc.assert(
      fc.asyncProperty(users, async (table) => {
        const { observations, left } = await exercise(table, (u) => `session_${hex(u).slice(0, 8)}*`);
        const found = cleanupCheck({ catalog: defaultCatalog(), users: table, extractionRules: [], maxExamples: 5 }).judge({ target: 't', users: table.map((_, i) => i), cleanup: observations, skipped: [] });
        // Users clean up in table order: a cleanup can only reach a user who has not cleaned up yet.
        const shared = table.some((a, i) => table.some((b, j) => j > i && hex(b).startsWith(hex(a).slice(0, 8))));
        expect(found.some((f) => f.kind === 'isolation' && f.rule === 'cleanup-reaches-other-user')).toBe(shared);
        expect(left).toBe(0);
      }),
      { numRuns: 25 },
    );
  });
});

describe('routing check', () => {
  it('a message fanned out by an owner read from the connection reaches others exactly when two users read alike', () => {
    fc.assert(
      fc.property(users, fc.boolean(), (table, prefixOnly) => {
        const router = new FlowRouter();
        const read = (u: string) => (prefixOnly ? u.slice(0, 4) : u);
        table.forEach((u, i) => {
          router.connect(i, `conn${i}`, read(u));
          router.openThread(`thread${i}`, `conn${i}`);
        });
        table.forEach((_, i) => router.route(i, `msg${i}`, `run${i}`, `thread${i}`));
        const found = routingCheck({ catalog: defaultCatalog(), users: table, extractionRules: [], maxExamples: 5 }).judge({ target: 't', users: [], routed: router.routed, skipped: [] });
        const alike = new Set(table.map(read)).size < table.length;
        expect(found.some((f) => f.rule === 'routing-wrong-user')).toBe(alike);
        expect(found.some((f) => f.rule === 'routing-not-delivered')).toBe(false);
      }),
    );
  });
});
