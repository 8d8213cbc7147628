import { spawn } from 'node:child_process';
import { createClient } from '@clickhouse/client';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { main } from '../harness/cli/index.js';
import { runVerify } from '../harness/cli/verify-command.js';
import { RedisLedger } from '../harness/ledger/index.js';
import { createIdBatch } from '../harness/model/index.js';
import { startRedisCluster, type StartedRedisCluster } from '../harness/stores/index.js';
import { PLANTED_DUPLICATE, PLANTED_SESSION } from '../fixtures/shard/planted-across-shards.js';

// The CLI from sources, as a separate process per shard (tsx, like a user's `npx idgate`).
const CLI = ['--import', 'tsx', 'harness/cli/main.ts'];
const SHARD_ARGS = ['--profile', 'ci', '--ids', '3000', '--users', '30', '--seed', '7'];

let cluster: StartedRedisCluster;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  cluster = await startRedisCluster({ masters: 3 });
  env = { ...process.env, FORCE_COLOR: '0', IDGATE_REDIS_URL: cluster.seedUrl, IDGATE_CLICKHOUSE_URL: inject('stores').clickhouseUrl };
}, 90_000);
afterAll(async () => {
  await cluster?.stop();
});

function idgate(args: readonly string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 50_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

/** `idgate verify` in this process (the shards are the separate processes). */
async function verify(runId: string, shardCount = 3): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await runVerify({ 'run-id': runId, shards: shardCount, 'max-findings': 10 }, (l) => lines.push(l), env);
  return { code, out: lines.join('\n') };
}

/** Shards `which` of 3, side by side as separate processes. */
async function shards(runId: string, target: string, which: readonly number[] = [0, 1, 2]) {
  return Promise.all(which.map((i) => idgate(['gate', ...SHARD_ARGS, '--target', target, '--shard', `${i}/3`, '--run-id', runId])));
}

/** What the run left in the stores: its keys on every master, its ClickHouse database. */
async function leftovers(runId: string): Promise<{ keys: number; database: boolean }> {
  let keys = 0;
  for (const m of cluster.masters) {
    const r = new Redis(m.url, { maxRetriesPerRequest: 1 });
    try {
      keys += (await r.keys(`idgate:${runId}:*`)).length;
    } finally {
      r.disconnect();
    }
  }
  const ch = createClient({ url: inject('stores').clickhouseUrl });
  try {
    const rows = await (await ch.query({ query: 'SELECT name FROM system.databases', format: 'JSONEachRow' })).json<{ name: string }>();
    return { keys, database: rows.some((r) => r.name === `idgate_${runId}`) };
  } finally {
    await ch.close();
  }
}

/** Deletes a run the test left behind on purpose (an incomplete one). */
async function dropRun(runId: string): Promise<void> {
  for (const m of cluster.masters) {
    const r = new Redis(m.url, { maxRetriesPerRequest: 1 });
    try {
      for (const k of await r.keys(`idgate:${runId}:*`)) await r.unlink(k);
    } finally {
      r.disconnect();
    }
  }
  const ch = createClient({ url: inject('stores').clickhouseUrl });
  try {
    await ch.command({ query: `DROP DATABASE IF EXISTS idgate_${runId}` });
  } finally {
    await ch.close();
  }
}

describe('sharded runs on a 3-master Redis Cluster and ClickHouse, 3 shard processes', () => {
  it('finds a duplicate planted across two shards and an ID held by users of two shards, in Redis and in ClickHouse', async () => {
    const runId = `planted_${process.pid}`;
    try {
      const runs = await shards(runId, 'fixtures/shard/planted-across-shards.ts');
      for (const r of runs) {
        expect(r.out).toMatch(/shard complete — 15090 IDs .*Redis Cluster of 3 masters/);
        expect(r.code, r.out).toBe(0);
      }
      const v = await verify(runId);
      expect(v.out).toMatch(/3 shard\(s\) complete, 45270 IDs; ledgers redis, clickhouse; 2 cross-shard repeat\(s\) confirmed by bytes/);
      expect(v.out).toMatch(/FAIL — 4 finding\(s\) \(duplicate, multi-owner\)/);
      // Each store found all four on its own; a ClickHouse verdict that differed from Redis's would
      // also add an infrastructure finding.
      expect(v.out).toContain("each ledger's own verdict: redis 4 finding(s), clickhouse 4 finding(s)");
      expect(v.out).not.toMatch(/disagrees/);
      expect(v.out).toContain(`[duplicate/cross-domain] audit: 1 ID(s) also minted in another domain (message)\n    IDs: "${PLANTED_DUPLICATE}"`);
      expect(v.out).toContain(`[duplicate/within-domain] session: 1 ID(s) minted more than once`);
      expect(v.out).toContain(`[multi-owner] session: 1 ID(s) held by two or more users\n    IDs: "${PLANTED_SESSION}"\n    owners: 0 (`);
      expect(v.code).toBe(1);
      expect(await leftovers(runId)).toEqual({ keys: 0, database: false });
    } finally {
      await dropRun(runId);
    }
  }, 60_000);

  it('exits 3 naming a missing shard and keeps the run; once the shard ran, a clean run passes', async () => {
    const runId = `clean_${process.pid}`;
    try {
      for (const r of await shards(runId, 'reference', [0, 2])) expect(r.code, r.out).toBe(0);
      const partial = await verify(runId);
      expect(partial.out).toMatch(/run clean_\d+ is incomplete: shard\(s\) 1\/3 never started — nothing was checked/);
      expect(partial.code).toBe(3);
      const left = await leftovers(runId);
      expect(left.keys).toBeGreaterThan(0);
      expect(left.database).toBe(true);
      for (const r of await shards(runId, 'reference', [1])) expect(r.code, r.out).toBe(0);
      const v = await verify(runId);
      expect(v.out).toMatch(/PASS — 0 finding\(s\)/);
      expect(v.code).toBe(0);
      expect(await leftovers(runId)).toEqual({ keys: 0, database: false });
    } finally {
      await dropRun(runId);
    }
  }, 60_000);

  it('without ClickHouse, a repeat of another shard\'s ID is never concluded on fingerprints: exit 3, run kept', async () => {
    const runId = `noch_${process.pid}`;
    try {
      for (const index of [0, 1]) {
        const ledger = await RedisLedger.open({ url: cluster.seedUrl, runId, shard: { index, count: 2 } });
        try {
          await ledger.claimShard({ seed: '1' });
          await ledger.append(createIdBatch({ batchId: `b${index}`, domain: 'session', ids: ['shared-id', `own-${index}`], owners: index }));
          await ledger.completeShard({}, {});
        } finally {
          await ledger.close();
        }
      }
      const { code, out } = await verify(runId, 2);
      expect(out).toMatch(/holds 1 repeat\(s\) of an ID another shard wrote first, and no ClickHouse to confirm them by bytes — nothing was concluded/);
      expect(code).toBe(3);
      expect((await leftovers(runId)).keys).toBeGreaterThan(0);
    } finally {
      await dropRun(runId);
    }
  });

  it('refuses bad input with exit 2, naming the flag and the fix', async () => {
    const run = async (args: readonly string[]) => {
      const lines: string[] = [];
      const code = await main(args, (l) => lines.push(l));
      return { code, out: lines.join('\n') };
    };
    const badShard = await run(['gate', ...SHARD_ARGS, '--shard', '3/3', '--run-id', 'x']);
    expect(badShard.out).toMatch(/--shard must be i\/N with 0 ≤ i < N ≤ 255, got "3\/3"[\s\S]*--shard 0\/3/);
    const noRunId = await run(['gate', ...SHARD_ARGS, '--shard', '0/3']);
    expect(noRunId.out).toMatch(/--shard needs --run-id/);
    const noSeed = await run(['gate', '--profile', 'ci', '--shard', '0/3', '--run-id', 'x']);
    expect(noSeed.out).toMatch(/--shard needs --seed/);
    const noShards = await run(['verify', '--run-id', 'x']);
    expect(noShards.out).toMatch(/idgate verify: --shards must be the run's shard count/);
    const badRunId = await run(['verify', '--run-id', 'X*', '--shards', '3']);
    expect(badRunId.out).toMatch(/idgate verify --run-id: run ID "X\*" is not usable/);
    for (const r of [badShard, noRunId, noSeed, noShards, badRunId]) expect(r.code, r.out).toBe(2);
  });
});
