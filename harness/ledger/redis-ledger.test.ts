import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdBatch } from '../model/index.js';
import { LocalServer, redisRecipe, type StartedLocalServer } from '../stores/index.js';
import { comparableVerdict, MemoryLedger, RedisLedger } from './index.js';

// A Redis of its own: INFO commandstats must count this ledger's commands only.
let server: StartedLocalServer;
let admin: Redis;
beforeAll(async () => {
  server = await new LocalServer(redisRecipe).start();
  admin = new Redis(server.url, { maxRetriesPerRequest: 1 });
});
afterAll(async () => {
  admin?.disconnect();
  await server?.stop();
});

async function scanAll(pattern: string): Promise<string[]> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await admin.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    out.push(...keys);
  } while (cursor !== '0');
  return out;
}

describe('RedisLedger', () => {
  it('detects repeats inside Redis: no command that reads the data back ever runs', async () => {
    await admin.config('RESETSTAT');
    const ledger = await RedisLedger.open({ url: server.url, runId: 'stats', expectedIds: 50_000 });
    try {
      const ids = Array.from({ length: 50_000 }, (_, i) => `id_${i % 49_000}`);
      await ledger.append(createIdBatch({ batchId: 'a', domain: 'run', ids, owners: Uint32Array.from(ids, (_, i) => i % 3) }));
      const v = await ledger.verify();
      expect(v.domains[0]).toMatchObject({ appended: 50_000, stored: 50_000, distinct: 49_000, duplicateIds: 1000, multiOwnerIds: 1000 });
      const stats = await admin.info('commandstats');
      expect(stats).toMatch(/cmdstat_evalsha:calls=\d+/);
      for (const cmd of ['smembers', 'sscan', 'hgetall', 'hscan', 'hkeys', 'hvals', 'keys']) expect(stats).not.toContain(`cmdstat_${cmd}:`);
      // Every key carries a TTL; fingerprint buckets stay small listpack-encoded hashes holding
      // 8-byte fingerprints, not IDs; full IDs only for the 1000 repeated ones.
      const keys = await scanAll('idgate:stats:*');
      expect(keys.length).toBeGreaterThanOrEqual(1024);
      for (const k of keys) expect(await admin.ttl(k), k).toBeGreaterThan(0);
      const bucket = keys.find((k) => k.endsWith(':f'))!;
      expect(await admin.object('ENCODING', bucket)).toBe('listpack');
      const fields = await admin.hkeysBuffer(bucket);
      for (const f of fields) expect(f.length).toBe(8);
      expect(await admin.hlen('idgate:stats:{stats}:h')).toBe(1000);
    } finally {
      await ledger.close();
    }
  });

  it('deletes only its own namespace on close', async () => {
    const foreign = ['idgate:other:{1}:h', 'idgate:ownx:{1}:h', 'idgate:own', 'unrelated', 'idgate:own:'.slice(0, -1)];
    for (const k of foreign) await admin.set(k, 'keep');
    const ledger = await RedisLedger.open({ url: server.url, runId: 'own' });
    try {
      await ledger.append(createIdBatch({ batchId: 'a', domain: 'user', ids: ['a', 'b', 'a'], owners: [1, 2, 3] }));
      expect((await scanAll('idgate:own:*')).length).toBeGreaterThan(0);
    } finally {
      await ledger.close();
    }
    expect(await scanAll('idgate:own:*')).toEqual([]);
    for (const k of foreign) expect(await admin.get(k), k).toBe('keep');
    await admin.del(...foreign);
  });

  it('counts a batch appended twice once', async () => {
    const ledger = await RedisLedger.open({ url: server.url });
    try {
      const batch = createIdBatch({ batchId: 'same', domain: 'user', ids: ['a', 'b'], owners: 1 });
      await ledger.append(batch);
      await ledger.append(batch);
      expect((await ledger.verify()).domains[0]).toMatchObject({ appended: 2, stored: 2, duplicateIds: 0 });
    } finally {
      await ledger.close();
    }
  });

  it('tells colliding fingerprints apart by bytes: same verdict as the memory ledger', async () => {
    // 6-bit fingerprints: 64 values for thousands of IDs, so nearly every ID collides.
    const ledger = await RedisLedger.open({ url: server.url, fingerprintBits: 6, maxExamples: 50 });
    const memory = new MemoryLedger({ maxExamples: 50 });
    try {
      for (let b = 0; b < 6; b++) {
        const ids = Array.from({ length: 700 }, (_, i) => `c_${(i * 7 + b * 131) % 1500}`);
        const batch = createIdBatch({ batchId: `c${b}`, domain: b % 2 === 0 ? 'run' : 'user', ids, owners: Uint32Array.from(ids, (_, i) => (i + b) % 3) });
        await Promise.all([ledger.append(batch), memory.append(batch)]);
      }
      const [vr, vm] = await Promise.all([ledger.verify(), memory.verify()]);
      expect(vm.duplicates.length).toBeGreaterThan(0);
      expect(comparableVerdict(vr)).toEqual(comparableVerdict(vm));
      expect(await ledger.holds(['c_0', 'c_1499', 'c_1500', 'nope'])).toEqual([true, true, false, false]);
    } finally {
      await ledger.close();
      await memory.close();
    }
  });

  it('concurrent appends with repeats: same verdict as the memory ledger', async () => {
    // The gate keeps many appends in flight; each must confirm its own repeats (a regression:
    // fingerprint buffers shared between appends made one batch read another's fingerprints).
    const ledger = await RedisLedger.open({ url: server.url, maxExamples: 50 });
    const memory = new MemoryLedger({ maxExamples: 50 });
    try {
      const batches = Array.from({ length: 12 }, (_, b) => {
        const ids = Array.from({ length: 1000 - b * 37 }, (_, i) => `k_${(i * 13 + b * 977) % 4000}`);
        return createIdBatch({ batchId: `k${b}`, domain: b % 3 === 0 ? 'run' : 'user', ids, owners: Uint32Array.from(ids, (_, i) => (i + b) % 5) });
      });
      await Promise.all(batches.flatMap((batch) => [ledger.append(batch), memory.append(batch)]));
      const [vr, vm] = await Promise.all([ledger.verify(), memory.verify()]);
      expect(vm.multiOwner.length).toBeGreaterThan(0);
      expect(comparableVerdict(vr)).toEqual(comparableVerdict(vm));
    } finally {
      await ledger.close();
      await memory.close();
    }
  });

  it('rejects a run ID that could widen its namespace', async () => {
    await expect(RedisLedger.open({ url: server.url, runId: 'a*' })).rejects.toThrow(/^RedisLedger.open: run ID "a\*"/);
  });
});
