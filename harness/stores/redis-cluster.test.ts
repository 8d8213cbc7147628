import { existsSync } from 'node:fs';
import { Cluster } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { isAlive, waitDead } from '../../test/helpers/process-state.js';
import { infoFields, redisClusterQuery } from './redis-cluster-query.js';
import { startRedisCluster } from './index.js';

describe('startRedisCluster', () => {
  it('starts 3 masters on loopback that take keys on every master, and leaves nothing after stop()', async () => {
    const cluster = await startRedisCluster({ enableDebugCommand: true });
    const pids = cluster.nodes.map((n) => n.pid);
    const dirs = cluster.nodes.map((n) => n.dir);
    let client: Cluster | undefined;
    try {
      expect(cluster.masters).toHaveLength(3);
      expect(cluster.nodes).toHaveLength(3);
      for (const url of cluster.urls) expect(new URL(url).hostname).toBe('127.0.0.1');
      expect(cluster.urls).toContain(cluster.seedUrl);
      for (const n of cluster.nodes) expect(infoFields(await redisClusterQuery(n.port, 'CLUSTER INFO')).get('cluster_state')).toBe('ok');

      const seed = new URL(cluster.seedUrl);
      client = new Cluster([{ host: seed.hostname, port: Number(seed.port) }], { lazyConnect: true });
      await client.connect();
      await Promise.all(Array.from({ length: 300 }, (_, i) => client!.set(`cluster-test:${i}`, String(i))));
      expect(await client.get('cluster-test:299')).toBe('299');

      const sizes = await Promise.all(cluster.masters.map(async (m) => Number(await redisClusterQuery(m.port, 'DBSIZE').then((t) => t.replace(/^:/, '')))));
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(300);
      for (const s of sizes) expect(s).toBeGreaterThan(50); // 300 keys over 3 thirds of the slots
      expect(await redisClusterQuery(cluster.masters[0]!.port, 'DEBUG DIGEST')).toMatch(/^[0-9a-f]{40}$/);
    } finally {
      await client?.quit().catch(() => undefined);
      client?.disconnect();
      await cluster.stop();
    }
    expect(await waitDead(pids, 5000)).toEqual([]);
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
    for (const dir of dirs) expect(existsSync(dir)).toBe(false);
    expect(cluster.isRunning()).toBe(false);
  });

  it('rejects fewer than 3 masters before starting anything', async () => {
    await expect(startRedisCluster({ masters: 2 })).rejects.toThrow(/startRedisCluster: masters 2 .*from 3 to 64[\s\S]*masters: 3 or more/);
  });

  it('names the node and its log tail when the nodes cannot start, and leaves no process behind', async () => {
    await expect(startRedisCluster({ serverArgs: ['--no-such-option', 'x'], readyTimeoutMs: 5000 })).rejects.toThrow(/redis-cluster-node .*127\.0\.0\.1:\d+,\d+ exited[\s\S]*no-such-option/i);
  });
});
