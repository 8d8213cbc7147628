// The `idgate scan` benchmarks: rows for `npm run bench` (bench/run.ts), and on their own
// (`npm run build && node dist/bench/scan-bench.js`) a `<!-- scan:… -->` section of BENCHMARKS.md.
// Sizes: IDGATE_BENCH_SCAN_KEYS (Redis keys, default 1M), IDGATE_BENCH_SCAN_ROWS (ClickHouse rows,
// default 100M).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { clickhouseRecipe, LocalServer, redisRecipe } from '../harness/stores/index.js';
import { load, spread } from './bench-ids.js';
import { benchClickHouseScan, type ClickHouseScanBenchResult } from './scan-clickhouse-bench.js';
import { benchRedisScan, type RedisScanBenchResult } from './scan-redis-bench.js';
import { ensureReferenceTools } from './reference-tools.js';

/** A row of the bench table: what, idgate, reference, ratio. */
export type BenchRow = [string, string, string, string];

const k = (x: number) => `${(x / 1000).toFixed(0)}k/s`;
const count = (n: number) => (n >= 1e6 ? `${+(n / 1e6).toFixed(2)}M` : `${+(n / 1e3).toFixed(1)}k`);

/** Keys scanned on loopback (`IDGATE_BENCH_SCAN_KEYS`, default 1M). */
export const scanBenchKeys = (): number => Number(process.env.IDGATE_BENCH_SCAN_KEYS ?? 1_000_000);
/** Rows of the ClickHouse table scanned (`IDGATE_BENCH_SCAN_ROWS`, default 100M). */
export const scanBenchRows = (): number => Number(process.env.IDGATE_BENCH_SCAN_ROWS ?? 100_000_000);

/** The Redis scan's row. */
export function redisScanRow(r: RedisScanBenchResult): BenchRow {
  return [
    `idgate scan redis (${count(r.keys)} keys, loopback)`,
    `${spread(r.runs, k)} keys (SCAN + MGET + every check); CPU ${r.scanCpuUsPerKey.toFixed(1)} µs/key idgate, ${r.redisCpuUsPerKey.toFixed(1)} µs/key Redis`,
    `redis-cli --scan, same keys (SCAN only, COUNT 10): ${k(r.cliKeysPerSecond)}`,
    `${((100 * r.scanKeysPerSecond) / r.cliKeysPerSecond).toFixed(0)}% (target ≥ 200k keys/s)`,
  ];
}

/** The ClickHouse scan's row. */
export function clickhouseScanRow(c: ClickHouseScanBenchResult): BenchRow {
  return [
    `idgate scan clickhouse (${count(c.rows)} rows, --domain session)`,
    `${c.scanSeconds.toFixed(1)} s (pattern, repeated hashes, shared tags); server CPU ${c.scanServerCpuSeconds.toFixed(1)} core-s`,
    `clickhouse-client SELECT count(), uniqExact(id): ${c.referenceSeconds.toFixed(1)} s; server CPU ${c.referenceServerCpuSeconds.toFixed(1)} core-s`,
    `${(c.scanSeconds / c.referenceSeconds).toFixed(2)}× the reference (target ≤ 60 s)`,
  ];
}

async function main(): Promise<void> {
  const rows: BenchRow[] = [];
  const loads: string[] = [load()];
  await ensureReferenceTools();
  const redis = await new LocalServer(redisRecipe).start();
  try {
    const r = await benchRedisScan(redis, scanBenchKeys(), 3);
    rows.push(redisScanRow(r));
    console.log(JSON.stringify(r));
  } finally {
    await redis.stop();
  }
  loads.push(load());
  const ch = await new LocalServer(clickhouseRecipe).start();
  try {
    const c = await benchClickHouseScan(ch, scanBenchRows());
    rows.push(clickhouseScanRow(c));
    console.log(JSON.stringify(c));
  } finally {
    await ch.stop();
  }
  loads.push(load());
  const table = [['what', 'idgate', 'reference (same run, same servers)', 'ratio'], ['---', '---', '---', '---'], ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
  console.log(table);
  // From dist/bench/ when built, from bench/ under tsx.
  const file = [new URL('../../BENCHMARKS.md', import.meta.url), new URL('../BENCHMARKS.md', import.meta.url)].map((u) => fileURLToPath(u)).find((f) => existsSync(f))!;
  const how = process.argv[1]?.endsWith('.ts') === true ? 'npx tsx bench/scan-bench.ts' : 'node dist/bench/scan-bench.js';
  const section = `<!-- scan:start -->\n_Measured by \`${how}\` on ${new Date().toISOString().slice(0, 16)}Z, 2 cores; 1-minute load average at each step ${loads.join(' → ')} (the bench's own servers and processes count in it)._\n\n${table}\n<!-- scan:end -->`;
  const doc = readFileSync(file, 'utf8');
  writeFileSync(file, /<!-- scan:start -->[\s\S]*<!-- scan:end -->/.test(doc) ? doc.replace(/<!-- scan:start -->[\s\S]*<!-- scan:end -->/, section) : `${doc.trimEnd()}\n\n## idgate scan\n\n${section}\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
