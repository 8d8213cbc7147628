/**
 * Two numbers that tell machines apart, printed with every bench: the same code ran 2.3× slower
 * in the memory ledger (a random-access hash table) on one 2-core host than on another, while
 * a plain integer loop differed far less. Ratios against the stores' tools are measured in the
 * same run; these say how far the absolute rates can be compared across runs.
 */
export interface HostProbe {
  /** Nanoseconds per dependent load from a 64 MiB table in random order (memory latency). */
  readonly randomLoadNs: number;
  /** Nanoseconds per step of a dependent integer loop (xorshift32: core speed). */
  readonly integerStepNs: number;
}

/** Measures {@link HostProbe} in about two seconds. */
export function probeHost(): HostProbe {
  // One cycle through 2^24 slots in random order (Sattolo's shuffle), so every load depends on
  // the one before and lands on a line the cache has not got.
  const n = 1 << 24;
  const next = new Uint32Array(n);
  for (let i = 0; i < n; i++) next[i] = i;
  let seed = 0x9e3779b9;
  const rand = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return seed >>> 0;
  };
  for (let i = n - 1; i > 0; i--) {
    const j = rand() % i;
    const t = next[i]!;
    next[i] = next[j]!;
    next[j] = t;
  }
  const loads = 4_000_000;
  let at = 0;
  let t = performance.now();
  for (let k = 0; k < loads; k++) at = next[at]!;
  const randomLoadNs = ((performance.now() - t) * 1e6) / loads;

  const steps = 100_000_000;
  let x = at | 1;
  t = performance.now();
  for (let k = 0; k < steps; k++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
  }
  const integerStepNs = ((performance.now() - t) * 1e6) / steps;
  // Keep both loops' results alive.
  if (x === 0 && at === -1) throw new Error('unreachable');
  return { randomLoadNs, integerStepNs };
}

/** `host probe: 95 ns per random load from 64 MiB, 0.60 ns per integer step`, for the report. */
export function describeHost(p: HostProbe): string {
  return `host probe: ${p.randomLoadNs.toFixed(0)} ns per random load from 64 MiB, ${p.integerStepNs.toFixed(2)} ns per integer step`;
}
