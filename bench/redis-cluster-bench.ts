import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { RedisLedger } from '../harness/ledger/index.js';
import { createIdBatch } from '../harness/model/index.js';
import { startRedisCluster } from '../harness/stores/index.js';

/**
 * The Redis ledger on a local Redis Cluster of 3 masters, for docs/scale.md: `used_memory` growth
 * per ID summed over the masters, Redis CPU (user + sys) per ID summed over the masters, and IDs
 * per second from one process (8 batches of 20 000 in flight, as the gate). IDs look like the
 * reference target's sessions (53 characters, 96 random bits).
 *
 *   npx tsx bench/redis-cluster-bench.ts <ids> [buckets|auto] [hash-max-listpack-entries]
 *
 * `buckets` forces the bucket count (to put as many IDs per bucket as 10^9 IDs over the ledger's
 * 2^22 buckets: about 240), and the last argument sets the masters' listpack limit to match.
 */
async function main(): Promise<void> {
  const total = Number(process.argv[2] ?? 2_000_000);
  const buckets = process.argv[3] === undefined || process.argv[3] === 'auto' ? undefined : Number(process.argv[3]);
  const listpack = process.argv[4];
  const cluster = await startRedisCluster({ masters: 3, serverArgs: listpack === undefined ? [] : ['--hash-max-listpack-entries', listpack] });
  const masters = cluster.masters.map((m) => new Redis(m.url, { maxRetriesPerRequest: 1 }));
  try {
    const sample = async () => {
      let used = 0;
      let cpu = 0;
      for (const r of masters) {
        used += Number(/used_memory:(\d+)/.exec(await r.info('memory'))![1]);
        const info = await r.info('cpu');
        cpu += Number(/used_cpu_user:([\d.]+)/.exec(info)![1]) + Number(/used_cpu_sys:([\d.]+)/.exec(info)![1]);
      }
      return { used, cpu };
    };
    const before = await sample();
    const ledger = await RedisLedger.open({ url: cluster.seedUrl, runId: `bench_${process.pid}`, expectedIds: total, buckets });
    const t0 = performance.now();
    const size = 20_000;
    const inFlight = new Set<Promise<void>>();
    for (let b = 0; b * size < total; b++) {
      const raw = randomBytes(size * 12).toString('hex');
      const ids = Array.from({ length: Math.min(size, total - b * size) }, (_, i) => `session_7ca95089614eef4d6056_${raw.slice(i * 24, i * 24 + 24)}`);
      const p: Promise<void> = ledger.append(createIdBatch({ batchId: `b${b}`, domain: 'session', ids, owners: b % 100 })).finally(() => inFlight.delete(p));
      inFlight.add(p);
      while (inFlight.size >= 8) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    const seconds = (performance.now() - t0) / 1000;
    const after = await sample();
    // Encodings of 20 buckets per master (bucket keys end in ':f'), and their mean length.
    const encodings = new Map<string, number>();
    let sampled = 0;
    let entries = 0;
    for (const r of masters) {
      let cursor = '0';
      const keys: string[] = [];
      do {
        const [next, page] = await r.scan(cursor, 'COUNT', 1000);
        cursor = next;
        keys.push(...page.filter((k) => k.endsWith(':f')));
      } while (cursor !== '0' && keys.length < 20);
      for (const k of keys.slice(0, 20)) {
        const e = String(await r.object('ENCODING', k));
        encodings.set(e, (encodings.get(e) ?? 0) + 1);
        entries += await r.hlen(k);
        sampled++;
      }
    }
    const v = await ledger.verify();
    await ledger.close();
    process.stdout.write(
      `${JSON.stringify({
        ids: total,
        buckets: ledger.buckets,
        idsPerBucket: Math.round(total / ledger.buckets),
        listpackEntries: listpack ?? '128 (default)',
        seconds: Number(seconds.toFixed(1)),
        idsPerSecond: Math.round(total / seconds),
        redisBytesPerId: Number(((after.used - before.used) / total).toFixed(1)),
        redisCpuUsPerId: Number((((after.cpu - before.cpu) * 1e6) / total).toFixed(2)),
        sampledBucketEncodings: Object.fromEntries(encodings),
        sampledBucketEntries: Math.round(entries / Math.max(1, sampled)),
        stored: v.domains[0]?.stored,
        duplicates: v.domains[0]?.duplicateIds,
      })}\n`,
    );
  } finally {
    for (const r of masters) r.disconnect();
    await cluster.stop();
  }
}

await main();
