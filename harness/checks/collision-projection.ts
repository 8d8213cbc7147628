/**
 * Birthday-bound arithmetic for `n` IDs drawn from `2^bits` equally likely values: the chance of
 * any collision is `1 − exp(−n(n−1)/2 / 2^bits)`. Min-entropy is used for `bits`, which makes
 * the projection conservative for skewed fields.
 */

/** Expected colliding pairs among `n` draws from `2^bits` values, as log2. */
function log2Pairs(n: number): number {
  return n < 2 ? -Infinity : Math.log2(n) + Math.log2(n - 1) - 1;
}

/** The chance of at least one collision among `n` IDs carrying `bits` of min-entropy. */
export function collisionProbability(n: number, bits: number): number {
  const lambda = 2 ** (log2Pairs(n) - bits);
  return -Math.expm1(-lambda);
}

/** The fewest bits that keep the chance of any collision among `n` IDs at or below `threshold`. */
export function bitsNeeded(n: number, threshold: number): number {
  return log2Pairs(n) - Math.log2(-Math.log1p(-threshold));
}

/** How many IDs carrying `bits` can be minted before the chance of any collision reaches `threshold`. */
export function volumeAtRisk(bits: number, threshold: number): number {
  // n(n−1)/2 = 2^bits·(−ln(1−t)), solved for n.
  const pairs = 2 ** bits * -Math.log1p(-threshold);
  return (1 + Math.sqrt(1 + 8 * pairs)) / 2;
}
