import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdBatch } from '../model/index.js';
import { LocalServer, redisRecipe, type StartedLocalServer } from '../stores/index.js';
import { RedisLedger } from './index.js';

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
    const ledger = await RedisLedger.open({ url: server.url, runId: 'stats' });
    try {
      const ids = Array.from({ length: 50_000 }, (_, i) => `id_${i % 49_000}`);
      await ledger.append(createIdBatch({ batchId: 'a', domain: 'run', ids, owners: Uint32Array.from(ids, (_, i) => i % 3) }));
      const v = await ledger.verify();
      expect(v.domains[0]).toMatchObject({ appended: 50_000, stored: 50_000, distinct: 49_000, duplicateIds: 1000, multiOwnerIds: 1000 });
      const stats = await admin.info('commandstats');
      expect(stats).toMatch(/cmdstat_evalsha:calls=\d+/);
      for (const cmd of ['smembers', 'sscan', 'hgetall', 'hscan', 'hkeys', 'hvals', 'keys']) expect(stats).not.toContain(`cmdstat_${cmd}:`);
      // Every key carries a TTL; buckets stay small listpack-encoded hashes.
      const keys = await scanAll('idgate:stats:*');
      expect(keys.length).toBeGreaterThan(1024);
      for (const k of keys) expect(await admin.ttl(k), k).toBeGreaterThan(0);
      expect(await admin.object('ENCODING', 'idgate:stats:{7}:h')).toBe('listpack');
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

  it('rejects a run ID that could widen its namespace', async () => {
    await expect(RedisLedger.open({ url: server.url, runId: 'a*' })).rejects.toThrow(/^RedisLedger.open: run ID "a\*"/);
  });
});
