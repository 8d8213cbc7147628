import type { IngestSample } from './run-report.js';

/**
 * Rates between consecutive samples of an ingest series, in IDs per second, as [tMs, rate]
 * points: `minted` for the workload, and one series per ledger from `written`.
 */
export function ingestRates(series: readonly IngestSample[]): Map<string, [number, number][]> {
  const out = new Map<string, [number, number][]>();
  const add = (name: string, t: number, rate: number) => {
    let pts = out.get(name);
    if (pts === undefined) out.set(name, (pts = []));
    pts.push([t, rate]);
  };
  for (let i = 1; i < series.length; i++) {
    const a = series[i - 1]!;
    const b = series[i]!;
    const dt = (b.tMs - a.tMs) / 1000;
    if (dt <= 0) continue;
    add('minted', b.tMs, (b.minted - a.minted) / dt);
    for (const [ledger, n] of Object.entries(b.written)) add(ledger, b.tMs, (n - (a.written[ledger] ?? 0)) / dt);
  }
  return out;
}
