import { boundsFromProbability, type EntropyBounds } from './entropy-bounds.js';

/**
 * SP 800-90B §6.3.1, the most common value estimate, per symbol: `p̂` is the share of the
 * commonest symbol among the `counts`; the min-entropy is `-log2` of its 99 % upper bound
 * `p̂ + 2.576·√(p̂(1−p̂)/(L−1))` (the `lower` bound here), with the plain and z = 5 values beside it.
 * `cap` is the most one symbol can carry (log2 of the alphabet size).
 */
export function mostCommonValueEstimate(counts: ArrayLike<number>, cap: number): EntropyBounds {
  let total = 0;
  let max = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    total += c;
    if (c > max) max = c;
  }
  if (total === 0) return { lower: 0, point: 0, upper: cap };
  return boundsFromProbability(max / total, total, cap);
}
