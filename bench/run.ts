// `npm run bench`: measures idgate's hot paths and prints a table.
// (Grows with the ledger and gate benchmarks; every store figure will be a ratio against the
// store's own tool measured in the same run.)
import { benchMemoryLedger } from './memory-ledger-bench.js';

const ids = Number(process.env.IDGATE_BENCH_IDS ?? 10_000_000);
const r = benchMemoryLedger(ids);
const rows: [string, string][] = [
  ['memory ledger IDs', String(r.ids)],
  ['memory ledger IDs/s', `${(r.idsPerSecond / 1e6).toFixed(2)}M (target ≥ 5M)`],
  ['memory ledger bytes/ID', `${r.bytesPerId.toFixed(1)} (target ≤ 24)`],
];
for (const [k, v] of rows) console.log(`${k.padEnd(26)} ${v}`);
