import { Z_LOWER, Z_UPPER, type EntropyBounds } from './entropy-bounds.js';

/**
 * The mean time to the first repeat in a binary sequence whose likelier value has probability
 * `p` (SP 800-90B §6.3.2, step 7): `p·q⁻²·(1 + ½(p⁻¹ − q⁻¹))·F(q) − p·q⁻¹·½(p⁻¹ − q⁻¹)` with
 * `q = 1 − p` and `F(1/z) = Γ(3, z)·z⁻³·eᶻ`. For the integer shape 3,
 * `Γ(3, z) = e⁻ᶻ(z² + 2z + 2)`, so `F(q) = q + 2q² + 2q³`. It falls from 2.5 at p = ½ to 2 at p = 1.
 */
export function collisionMeanTime(p: number): number {
  const q = 1 - p;
  const f = q + 2 * q * q + 2 * q * q * q;
  const half = 0.5 * (1 / p - 1 / q);
  return (p / (q * q)) * (1 + half) * f - (p / q) * half;
}

// The formula cancels catastrophically as q → 0; past this p the mean time is 2 to 1e-5.
const P_MAX = 1 - 1e-6;

/** The p in [½, 1] whose mean collision time is `mean` (binary search, step 7); 1 bit when none. */
function solve(mean: number): number {
  if (mean >= collisionMeanTime(0.5)) return 0.5;
  if (mean <= 2 + 2 * P_MAX * (1 - P_MAX)) return 1;
  let lo = 0.5;
  let hi = P_MAX;
  for (let k = 0; k < 60; k++) {
    const mid = (lo + hi) / 2;
    if (collisionMeanTime(mid) > mean) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * SP 800-90B §6.3.2, the collision estimate, per bit, over the binary sequence `bit(0)`,
 * `bit(1)`, … `bit(length − 1)`: walk it cutting at the first repeated value, average the cut
 * lengths `X̄` with their standard deviation `σ̂`, take `X̄' = X̄ − 2.576·σ̂/√v` and solve step 7
 * for p; the min-entropy is `-log2 p` (the `lower` bound here; `point` uses `X̄`, `upper`
 * `X̄ + 5·σ̂/√v`). `bit` is a function of the index or the bits themselves. Near uniform the
 * estimate is flat in X̄ (p − ½ grows as √(2.5 − X̄)), so its point value is noisy; it bites
 * through its bounds.
 */
export function collisionEstimate(bit: ((i: number) => number) | Uint8Array, length: number): EntropyBounds {
  // The gate passes the bits themselves: 2²⁴ calls of a closure per field cost seconds per run.
  const bits = typeof bit === 'function' ? Uint8Array.from({ length }, (_, i) => bit(i)) : bit;
  let v = 0;
  let sum = 0;
  let sumSq = 0;
  let i = 0;
  while (i < length) {
    let seen = 0;
    let j = i;
    for (; j < length; j++) {
      const mask = 1 << bits[j]!;
      if ((seen & mask) !== 0) break;
      seen |= mask;
    }
    if (j >= length) break;
    const t = j - i + 1;
    v++;
    sum += t;
    sumSq += t * t;
    i = j + 1;
  }
  if (v < 2) return { lower: 0, point: 1, upper: 1 };
  const mean = sum / v;
  const sd = Math.sqrt(Math.max(0, (sumSq - v * mean * mean) / (v - 1)));
  const entropy = (m: number) => Math.max(0, -Math.log2(solve(m)));
  return { lower: entropy(mean - (Z_LOWER * sd) / Math.sqrt(v)), point: entropy(mean), upper: entropy(mean + (Z_UPPER * sd) / Math.sqrt(v)) };
}
