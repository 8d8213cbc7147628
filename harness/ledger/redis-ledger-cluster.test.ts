import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createIdBatch, type IdBatch } from '../model/index.js';
import { startRedisCluster, type StartedRedisCluster } from '../stores/index.js';
import { ClickHouseLedger, comparableVerdict, keySlot, MemoryLedger, RedisLedger } from './index.js';

// A real 3-master Redis Cluster on loopback, for this file only.
let cluster: StartedRedisCluster;
let masters: Redis[] = [];
beforeAll(async () => {
  cluster = await startRedisCluster({ masters: 3 });
  masters = cluster.masters.map((m) => new Redis(m.url, { maxRetriesPerRequest: 1 }));
}, 90_000);
afterAll(async () => {
  for (const m of masters) m.disconnect();
  await cluster?.stop();
});

async function keysOf(pattern: string): Promise<string[][]> {
  return Promise.all(
    masters.map(async (m) => {
      const out: string[] = [];
      let cursor = '0';
      do {
        const [next, keys] = await m.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        cursor = next;
        out.push(...keys);
      } while (cursor !== '0');
      return out;
    }),
  );
}

/** Batches with repeats within and across domains and owners, over IDs whose fingerprints collide at 8 bits. */
function batches(tag: string, count: number, offset: number): IdBatch[] {
  return Array.from({ length: count }, (_, b) => {
    const ids = Array.from({ length: 600 }, (_, i) => `c_${(i * 7 + (b + offset) * 131) % 1500}`);
    return createIdBatch({ batchId: `${tag}${b}`, domain: (b + offset) % 2 === 0 ? 'run' : 'user', ids, owners: Uint32Array.from(ids, (_, i) => (i + b + offset) % 3) });
  });
}

describe('RedisLedger on a Redis Cluster', () => {
  it('spreads buckets over every master, keeps the bookkeeping in one slot and agrees with the memory ledger', async () => {
    const ledger = await RedisLedger.open({ url: cluster.seedUrl, runId: 'clu', fingerprintBits: 8, maxExamples: 50 });
    const memory = new MemoryLedger({ maxExamples: 50 });
    try {
      expect(ledger.masters).toBe(3);
      for (const batch of batches('a', 6, 0)) await Promise.all([ledger.append(batch), memory.append(batch)]);
      const [vr, vm] = await Promise.all([ledger.verify(), memory.verify()]);
      expect(vm.duplicates.length).toBeGreaterThan(0);
      expect(comparableVerdict(vr)).toEqual(comparableVerdict(vm));
      expect(await ledger.holds(['c_0', 'c_1499', 'c_1500', 'nope'])).toEqual([true, true, false, false]);
      const perMaster = await keysOf('idgate:clu:*');
      for (const keys of perMaster) expect(keys.filter((k) => k.endsWith(':f')).length).toBeGreaterThan(0);
      const bookkeeping = perMaster.flat().filter((k) => !k.endsWith(':f'));
      expect(bookkeeping.length).toBeGreaterThan(3);
      expect(new Set(bookkeeping.map((k) => keySlot(k))).size).toBe(1);
    } finally {
      await ledger.close();
      await memory.close();
    }
    expect((await keysOf('idgate:clu:*')).flat()).toEqual([]);
  });

  it('three shards in one run: cross-shard repeats are confirmed by bytes from ClickHouse, never a collision counted as a duplicate', async () => {
    const { clickhouseUrl } = inject('stores');
    const runId = `shards_${process.pid}`;
    const memory = new MemoryLedger({ maxExamples: 50 });
    const appended = new Map<string, number>();
    let crossShard = 0;
    for (let s = 0; s < 3; s++) {
      // 8-bit fingerprints: most repeats across shards are collisions of distinct IDs.
      const redis = await RedisLedger.open({ url: cluster.seedUrl, runId, fingerprintBits: 8, maxExamples: 50, shard: { index: s, count: 3 } });
      const ch = await ClickHouseLedger.open({ url: clickhouseUrl, runId, maxExamples: 50, shard: { index: s, count: 3 } });
      try {
        await redis.claimShard({ seed: '1' });
        for (const batch of batches(`s${s}.`, 2, s * 2)) {
          await Promise.all([redis.append(batch), ch.append(batch), memory.append(batch)]);
          appended.set(batch.domain, (appended.get(batch.domain) ?? 0) + batch.ids.length);
        }
        crossShard = await redis.crossShardPending();
        // As idgate shard does: ClickHouse acknowledged every row before the shard says complete.
        await ch.flush();
        await redis.completeShard({}, { wallMs: '1' });
      } finally {
        await redis.close();
        await ch.close();
      }
    }
    const redis = await RedisLedger.attach({ url: cluster.seedUrl, runId, appended, maxExamples: 50, deleteOnClose: true });
    const ch = await ClickHouseLedger.attach({ url: clickhouseUrl, runId, appended, maxExamples: 50, deleteOnClose: true });
    try {
      const markers = await redis.shardMarkers(4);
      expect(markers.map((m) => m?.state)).toEqual(['complete', 'complete', 'complete', undefined]);
      expect(markers[1]!.appended.redis).toEqual({ run: 600, user: 600 });
      expect(crossShard).toBeGreaterThan(0);
      expect(await redis.resolveCrossShard((ids) => ch.shardsHolding(ids))).toBe(crossShard);
      expect(await redis.crossShardPending()).toBe(0);
      const [vr, vc, vm] = await Promise.all([redis.verify(), ch.verify(), memory.verify()]);
      expect(vm.multiOwner.length).toBeGreaterThan(0);
      expect(comparableVerdict(vr)).toEqual(comparableVerdict(vm));
      expect(comparableVerdict(vc)).toEqual(comparableVerdict(vm));
    } finally {
      await redis.close();
      await ch.close();
      await memory.close();
    }
    expect((await keysOf(`idgate:${runId}:*`)).flat()).toEqual([]);
  });
});
