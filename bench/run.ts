// `npm run bench`: starts local Redis and ClickHouse, measures idgate's hot paths against the
// stores' own tools in the same run, prints a table and writes it into BENCHMARKS.md.
// Sizes: IDGATE_BENCH_IDS (memory ledger, default 10M), IDGATE_BENCH_STORE_IDS (Redis and
// ClickHouse, default 2M); IDGATE_BENCH_GATE=0 skips the gate profile's end-to-end run;
// IDGATE_BENCH_SCAN=0 skips the idgate scan rows (sizes: IDGATE_BENCH_SCAN_KEYS, IDGATE_BENCH_SCAN_ROWS).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { clickhouseRecipe, LocalServer, redisRecipe } from '../harness/stores/index.js';
import { load, median, spread } from './bench-ids.js';
import { benchClickHouseLedger } from './clickhouse-ledger-bench.js';
import { benchGate } from './gate-bench.js';
import { benchMemoryLedger, benchStringSet, type MemoryLedgerBenchResult } from './memory-ledger-bench.js';
import { benchRedisLedger } from './redis-ledger-bench.js';
import { clickhouseScanRow, redisScanRow, scanBenchKeys, scanBenchRows } from './scan-bench.js';
import { benchClickHouseScan } from './scan-clickhouse-bench.js';
import { benchRedisScanInChild } from './scan-redis-bench.js';
import { benchSubprocessTarget } from './target-bench.js';
import { ensureReferenceTools } from './reference-tools.js';
import { describeHost, probeHost } from './host-probe.js';

const M = (x: number) => `${(x / 1e6).toFixed(2)}M/s`;
const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(0)}%`;
const memIds = Number(process.env.IDGATE_BENCH_IDS ?? 10_000_000);
const storeIds = Number(process.env.IDGATE_BENCH_STORE_IDS ?? 2_000_000);
const rows: [string, string, string, string][] = [];
const scanBench = process.env.IDGATE_BENCH_SCAN !== '0';
const loads: string[] = [load()];
await ensureReferenceTools();
// Before any server starts, so the probe has the machine to itself.
const host = describeHost(probeHost());
console.log(host);

// Three runs each, alternating, reported as the median: single runs on this shared machine vary by ±10 %.
const mems: MemoryLedgerBenchResult[] = [];
const sets: MemoryLedgerBenchResult[] = [];
for (let i = 0; i < 3; i++) {
  mems.push(benchMemoryLedger(memIds));
  sets.push(benchStringSet(Math.min(memIds, 2_000_000)));
}
const memRate = median(mems.map((m) => m.idsPerSecond));
const setRate = median(sets.map((m) => m.idsPerSecond));
rows.push([
  'memory ledger',
  `${spread(mems.map((m) => m.idsPerSecond), M)}, ${median(mems.map((m) => m.bytesPerId)).toFixed(1)} B/ID at ${memIds / 1e6}M IDs`,
  `JS Set<string> of the same IDs: ${spread(sets.map((m) => m.idsPerSecond), M)}, ${median(sets.map((m) => m.bytesPerId)).toFixed(0)} B/ID`,
  `${(memRate / setRate).toFixed(2)}× (targets ≥ 5M/s, ≤ 24 B/ID)`,
]);
loads.push(load());

const redisServer = await new LocalServer(redisRecipe).start();
try {
  const r = await benchRedisLedger(redisServer, storeIds);
  rows.push(['Redis ledger ingest', `${M(r.ledgerIdsPerSecond)}; Redis CPU ${r.ledgerRedisCpuUs.toFixed(2)} µs/ID; ${r.redisBytesPerId.toFixed(1)} B/ID`, `redis-cli --pipe, same stream: ${M(r.pipeIdsPerSecond)}; Redis CPU ${r.pipeRedisCpuUs.toFixed(2)} µs/ID`, `${pct(r.ledgerIdsPerSecond, r.pipeIdsPerSecond)} (target ≥ 80%)`]);
  rows.push(['(orientation)', '', `redis-benchmark -P 64 SADD: ${M(r.benchmarkSaddPerSecond)} single-member commands`, `ledger = ${pct(r.ledgerIdsPerSecond, r.benchmarkSaddPerSecond)}`]);
  if (scanBench) rows.push(redisScanRow(await benchRedisScanInChild(redisServer, scanBenchKeys(), 3)));
} finally {
  await redisServer.stop();
}
loads.push(load());

const chServer = await new LocalServer(clickhouseRecipe).start();
try {
  const c = await benchClickHouseLedger(chServer, storeIds);
  rows.push(['ClickHouse ledger ingest', M(c.ledgerIdsPerSecond), `clickhouse-client native TSV, same rows: ${M(c.clientIdsPerSecond)}`, `${pct(c.ledgerIdsPerSecond, c.clientIdsPerSecond)} (target ≥ 80%)`]);
  if (scanBench) rows.push(clickhouseScanRow(await benchClickHouseScan(chServer, scanBenchRows())));
} finally {
  await chServer.stop();
}
loads.push(load());

const t = await benchSubprocessTarget(5_000_000);
rows.push(['subprocess target (Python reference)', M(t.adapterIdsPerSecond), `raw read of the same answers off the pipe: ${M(t.rawIdsPerSecond)}`, pct(t.adapterIdsPerSecond, t.rawIdsPerSecond)]);
loads.push(load());

if (process.env.IDGATE_BENCH_GATE !== '0') {
  const g = await benchGate();
  rows.push(['gate profile end to end (15 × 1M IDs, 3 ledgers)', `${g.seconds.toFixed(0)} s (exit ${g.exitCode})`, 'budget: 120 s', `${pct(g.seconds, 120)} of budget`]);
  loads.push(load());
}

const header = ['what', 'idgate', 'reference (same run, same servers)', 'ratio'];
const table = [header, ['---', '---', '---', '---'], ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
console.log(table);
console.log(`load average (1 min) at each step: ${loads.join(' → ')}`);

const file = fileURLToPath(new URL('../../BENCHMARKS.md', import.meta.url));
const section = `<!-- bench:start -->\n_Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 16)}Z, 2 cores, ${host}; 1-minute load average at each step ${loads.join(' → ')} (the bench's own servers and processes count in it)._\n\n${table}\n<!-- bench:end -->`;
let doc: string;
try {
  doc = readFileSync(file, 'utf8');
} catch {
  doc = '# Benchmarks\n\n<!-- bench:start -->\n<!-- bench:end -->\n';
}
writeFileSync(file, doc.replace(/<!-- bench:start -->[\s\S]*<!-- bench:end -->/, section));
