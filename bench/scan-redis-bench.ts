import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { RespConnection, RespErrorReply } from '../harness/ledger/index.js';
import { parseOwnerSource, respCommand, scanRedis } from '../harness/scan/index.js';
import type { StartedLocalServer } from '../harness/stores/index.js';
import { processCpuSeconds } from './bench-ids.js';

/** Result of {@link benchRedisScan}. */
export interface RedisScanBenchResult {
  readonly keys: number;
  /** `idgate scan redis` (SCAN, MGET, every check) keys per second, no rate cap: the median of the runs. */
  readonly scanKeysPerSecond: number;
  /** Every run's keys per second, in order. */
  readonly runs: readonly number[];
  /** `redis-cli --scan --pattern …` over the same keys: SCAN only (redis-cli 7.0 has no --count: COUNT 10), names printed. */
  readonly cliKeysPerSecond: number;
  /** Findings the scan reported on the clean data (must be 0) and keys it read (must be `keys`). */
  readonly findings: number;
  readonly keysRead: number;
  /** CPU (user + system, all threads) of the idgate process per key during the scan, µs. */
  readonly scanCpuUsPerKey: number;
  /** CPU of the Redis server per key during the scan, µs. */
  readonly redisCpuUsPerKey: number;
}

const USERS = 10_000;

/**
 * Seeds `total` string keys `user:<user>:session:<session>` whose JSON values name a ws_conn,
 * 10 000 users, all IDs well formed (pipelined SETs of 10 000), so the scan has every check to
 * run and nothing to report.
 */
async function seed(conn: RespConnection, total: number): Promise<void> {
  const hex = (n: number) => randomBytes(12 * n).toString('hex');
  const users = Array.from({ length: USERS }, (_, i) => ({ id: `user_${i.toString(16).padStart(8, '0')}${'0'.repeat(16)}`, tag: i.toString(16).padStart(20, '0') }));
  for (let done = 0; done < total; ) {
    const n = Math.min(10_000, total - done);
    const r = hex(2 * n);
    const cmds: Buffer[] = [];
    for (let i = 0; i < n; i++) {
      const u = users[(done + i) % USERS]!;
      const key = `user:${u.id}:session:session_${u.tag}_${r.slice(48 * i, 48 * i + 24)}`;
      cmds.push(respCommand(['SET', key, `{"ws":"ws_conn_${u.tag}_${r.slice(48 * i + 24, 48 * i + 48)}","ua":"Mozilla/5.0"}`]));
    }
    const replies = await conn.request(Buffer.concat(cmds), n);
    const bad = replies.find((x): x is RespErrorReply => x instanceof RespErrorReply);
    if (bad !== undefined) throw new Error(`benchRedisScan: seeding failed: ${bad.message}`);
    done += n;
  }
}

/** Runs `redis-cli --scan` and counts the names it prints, without holding them. */
function cliScan(port: number, match: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('redis-cli', ['-p', String(port), '--scan', '--pattern', match], { stdio: ['ignore', 'pipe', 'inherit'] });
    let lines = 0;
    child.stdout.on('data', (d: Buffer) => {
      for (let i = d.indexOf(10); i >= 0; i = d.indexOf(10, i + 1)) lines++;
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(lines) : reject(new Error(`redis-cli --scan exited ${code}`))));
  });
}

/**
 * Seeds `total` keys into `server` (which it flushes before and after), then times `idgate scan
 * redis` (no rate cap, COUNT 1000, owners from the key) `repeats` times over the same keys (the
 * scan is read-only), and `redis-cli --scan` once. CPU figures are the median run's.
 */
export async function benchRedisScan(server: Pick<StartedLocalServer, 'url' | 'pid' | 'ports'>, total: number, repeats = 1): Promise<RedisScanBenchResult> {
  const admin = await RespConnection.open(server.url);
  try {
    await admin.request(respCommand(['FLUSHALL']), 1);
    await seed(admin, total);
    const runs: { rate: number; cpuUs: number; redisUs: number; result: Awaited<ReturnType<typeof scanRedis>> }[] = [];
    for (let i = 0; i < repeats; i++) {
      const r0 = processCpuSeconds(server.pid);
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const result = await scanRedis({ url: server.url, match: 'user:*', ownerFrom: parseOwnerSource('key:1'), rate: 0, count: 1000 });
      const scanS = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(c0);
      runs.push({ rate: total / scanS, cpuUs: (cpu.user + cpu.system) / total, redisUs: ((processCpuSeconds(server.pid) - r0) * 1e6) / total, result });
    }
    const mid = [...runs].sort((a, b) => a.rate - b.rate)[runs.length >> 1]!;
    const result = mid.result;
    const t1 = performance.now();
    const cliKeys = await cliScan(server.ports[0]!, 'user:*');
    const cliS = (performance.now() - t1) / 1000;
    if (cliKeys !== total) throw new Error(`benchRedisScan: redis-cli --scan printed ${cliKeys} names, not ${total}`);
    if (result.findings.length !== 0 || result.stats.keys !== total) throw new Error(`benchRedisScan: the scan read ${result.stats.keys} keys of ${total} and found ${result.findings.length} findings in clean data`);
    for (const r of runs) {
      if (r.result.findings.length !== 0 || r.result.stats.keys !== total) throw new Error(`benchRedisScan: a scan read ${r.result.stats.keys} keys of ${total} and found ${r.result.findings.length} findings in clean data`);
    }
    return {
      keys: total,
      scanKeysPerSecond: mid.rate,
      runs: runs.map((r) => r.rate),
      cliKeysPerSecond: total / cliS,
      findings: result.findings.length,
      keysRead: result.stats.keys,
      scanCpuUsPerKey: mid.cpuUs,
      redisCpuUsPerKey: mid.redisUs,
    };
  } finally {
    await admin.request(respCommand(['FLUSHALL']), 1).catch(() => undefined);
    admin.close();
  }
}

/**
 * {@link benchRedisScan} in a fresh Node process (`scan-redis-child.js`), so that what the bench
 * process loaded before — ioredis above all, which slows every `charCodeAt` loop of a process
 * (see harness/stores/load-ioredis.ts) — and its heap do not weigh on the scan: the scan is
 * measured as `idgate scan redis` runs, alone in its process.
 */
export function benchRedisScanInChild(server: Pick<StartedLocalServer, 'url' | 'pid' | 'ports'>, total: number, repeats: number): Promise<RedisScanBenchResult> {
  return new Promise((resolve, reject) => {
    const entry = fileURLToPath(new URL('./scan-redis-child.js', import.meta.url));
    const child = spawn(process.execPath, [entry, JSON.stringify({ url: server.url, pid: server.pid, ports: server.ports, total, repeats })], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code === 0 && last.startsWith('{')) resolve(JSON.parse(last) as RedisScanBenchResult);
      else reject(new Error(`benchRedisScanInChild: the child exited ${code}: ${out.slice(-500)}`));
    });
  });
}
