import type { FieldSample } from './field-sample.js';

/** Colliding pairs among the sampled values' first `symbols` characters, against the expectation. */
export interface PrefixCollisions {
  /** Characters compared (`positions` for the whole value, compared by a 64-bit hash). */
  readonly symbols: number;
  /** The width they span at the alphabet's full capacity, in bits. */
  readonly bits: number;
  /** Values compared. */
  readonly sampled: number;
  /** Pairs of sampled values from distinct IDs that agree on the prefix. */
  readonly observed: number;
  /** log2 of the pairs expected if positions were independent with their observed frequencies. */
  readonly log2Expected: number;
  /** Whether `observed` exceeds the expectation beyond chance (Poisson upper tail < 10⁻⁶). */
  readonly excess: boolean;
  /** Collision entropy the sample shows for the prefix, `log2(pairs / observed)`; ∞ when nothing collided. */
  readonly observedBits: number;
  /** Collision entropy the per-position frequencies predict for it. */
  readonly modelBits: number;
}

function lnFactorial(n: number): number {
  if (n < 256) {
    let s = 0;
    for (let i = 2; i <= n; i++) s += Math.log(i);
    return s;
  }
  return n * Math.log(n) - n + 0.5 * Math.log(2 * Math.PI * n) + 1 / (12 * n);
}

/**
 * ln of an upper bound on P(X ≥ c) for X ~ Poisson(λ), λ given as log2; 0 when c ≤ λ. Uses the
 * first term of the tail times the geometric bound on the rest, so tiny λ (2⁻⁸⁰) stay exact.
 */
export function poissonTailLn(c: number, log2Lambda: number): number {
  const lambda = 2 ** log2Lambda;
  if (c <= lambda) return 0;
  const lnLambda = log2Lambda * Math.LN2;
  return Math.min(0, -lambda + c * lnLambda - lnFactorial(c) + Math.log((c + 1) / (c + 1 - lambda)));
}

const LN_SIGNIFICANT = Math.log(1e-6);

/** 53 bits of a two-word hash, exact as a double. */
function key53(words: Uint32Array, i: number): number {
  return words[2 * i]! * 2097152 + (words[2 * i + 1]! >>> 11);
}

/**
 * Pairs of equal values among `keys` (whole numbers below 2⁵³), counted in one pass through an
 * open-addressing table: each value adds the occurrences seen before it. Sorting copies instead
 * cost 12 % of the gate's main thread.
 */
function equalPairs(keys: Float64Array): number {
  const n = keys.length;
  let size = 16;
  while (size < 2 * n) size *= 2;
  const mask = size - 1;
  const slots = new Float64Array(size);
  const counts = new Uint32Array(size);
  let pairs = 0;
  for (let i = 0; i < n; i++) {
    const key = keys[i]!;
    const lo = key >>> 0;
    const hi = Math.floor(key / 4294967296);
    let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
    h = (h ^ (h >>> 15)) & mask;
    while (counts[h] !== 0 && slots[h] !== key) h = (h + 1) & mask;
    pairs += counts[h]!;
    slots[h] = key;
    counts[h]!++;
  }
  return pairs;
}

/**
 * Pairs with equal `keys` whose `ids` differ (identical IDs are the duplicate check's). With no
 * repeated ID hash in the sample (the usual case) that is every pair of equal keys; otherwise
 * pairs are matched on both, sorting indices with a comparator (ten times slower).
 */
function pairsOf(keys: Float64Array, ids: Float64Array): number {
  if (equalPairs(ids) === 0) return equalPairs(keys);
  const order = Uint32Array.from(keys.keys()).sort((a, b) => keys[a]! - keys[b]! || ids[a]! - ids[b]!);
  let pairs = 0;
  let run = 1;
  let same = 1;
  for (let i = 1; i <= order.length; i++) {
    const a = order[i - 1]!;
    const b = order[i];
    if (b !== undefined && keys[b] === keys[a]) {
      run++;
      if (ids[b] === ids[a]) same++;
      else {
        pairs -= (same * (same - 1)) / 2;
        same = 1;
      }
      continue;
    }
    pairs += (run * (run - 1)) / 2 - (same * (same - 1)) / 2;
    run = 1;
    same = 1;
  }
  return pairs;
}

/**
 * Counts colliding pairs in `sample`'s reservoir on the first `symbols` characters (exact, as
 * base-k numbers) or, with `symbols = sample.positions` and a field no longer than that, on the
 * whole value (by hash). The expectation treats positions as independent, each with the symbol
 * frequencies seen over all values, so a skewed or constant position is not an excess: an excess
 * means values depend on each other or across positions — a seeded or shared generator that looks
 * uniform per character. Pairs of identical IDs are not counted: an ID handed out twice is a
 * `duplicate`, and says nothing of the generator.
 */
export function prefixCollisions(sample: FieldSample, symbols: number): PrefixCollisions {
  const n = sample.sampled;
  const k = sample.symbols;
  const whole = symbols >= sample.positions;
  const keys = new Float64Array(n);
  const ids = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    ids[i] = key53(sample.idHashes, i);
    if (whole) keys[i] = key53(sample.hashes, i);
    else {
      let key = 0;
      for (let j = 0; j < symbols; j++) key = key * k + sample.values[i * sample.positions + j]!;
      keys[i] = key;
    }
  }
  const observed = pairsOf(keys, ids);
  let modelBits = 0;
  const m = whole ? sample.positions : symbols;
  for (let j = 0; j < m; j++) {
    let total = 0;
    let sq = 0;
    for (let s = 0; s < k; s++) total += sample.counts[j * k + s]!;
    for (let s = 0; s < k; s++) sq += (sample.counts[j * k + s]! / total) ** 2;
    modelBits += -Math.log2(sq);
  }
  const log2Pairs = n < 2 ? -Infinity : Math.log2(n) + Math.log2(n - 1) - 1;
  const log2Expected = log2Pairs - modelBits;
  const excess = observed > 0 && poissonTailLn(observed, log2Expected) < LN_SIGNIFICANT;
  return {
    symbols: m,
    bits: m * Math.log2(Math.max(2, sample.alphabetSize)),
    sampled: n,
    observed,
    log2Expected,
    excess,
    observedBits: observed === 0 ? Infinity : log2Pairs - Math.log2(observed),
    modelBits,
  };
}
