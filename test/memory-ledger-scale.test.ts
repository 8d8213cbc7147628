import { expect, it } from 'vitest';
import { benchMemoryLedger } from '../bench/memory-ledger-bench.js';

// Issue 3's bound: no JS string or object per ID, so at 10M IDs the heap and array buffers
// grow by at most 24 bytes per ID. Speed is reported, not asserted (benchmarks measure it).
it('keeps at most 24 bytes per ID on the heap at 10M IDs', () => {
  const r = benchMemoryLedger(10_000_000);
  console.log(`memory ledger: ${(r.idsPerSecond / 1e6).toFixed(2)}M IDs/s, ${r.bytesPerId.toFixed(1)} bytes/ID at ${r.ids} IDs`);
  expect(r.bytesPerId).toBeLessThanOrEqual(24);
  expect(r.bytesPerId).toBeGreaterThan(0);
}, 120_000);
