/**
 * A min-entropy estimate with its confidence bounds, in bits (per symbol or per field).
 * `lower` is the SP 800-90B-style 99 % lower bound (z = 2.576); `upper` is the bound a finding
 * needs the data to fall below (z = 5, about 3·10⁻⁷ one-sided), so a sound generator does not
 * fail by chance; `point` is the plain estimate.
 */
export interface EntropyBounds {
  readonly lower: number;
  readonly point: number;
  readonly upper: number;
}

/** z of SP 800-90B's 99 % bounds. */
export const Z_LOWER = 2.576;
/** z of the bound a finding must clear: the data must show the shortfall beyond this. */
export const Z_UPPER = 5;

/**
 * Min-entropy bounds from an estimated probability `p` of the likeliest outcome over `n`
 * observations: `-log2` of `p` widened by z·√(p(1−p)/(n−1)) (SP 800-90B §6.3.1, step 2), each
 * capped at `cap` bits (the most the alphabet can hold).
 */
export function boundsFromProbability(p: number, n: number, cap: number): EntropyBounds {
  if (!(n >= 2)) return { lower: 0, point: Math.min(cap, -Math.log2(Math.max(p, 2 ** -cap))), upper: cap };
  const sd = Math.sqrt((p * (1 - p)) / (n - 1));
  const bits = (q: number) => Math.min(cap, Math.max(0, -Math.log2(Math.min(1, Math.max(q, 2 ** -cap)))));
  return { lower: bits(p + Z_LOWER * sd), point: bits(p), upper: bits(p - Z_UPPER * sd) };
}

/** The smallest of each bound. */
export function minBounds(a: EntropyBounds, b: EntropyBounds): EntropyBounds {
  return { lower: Math.min(a.lower, b.lower), point: Math.min(a.point, b.point), upper: Math.min(a.upper, b.upper) };
}

/** `a` + `b`·`k`, bound by bound. */
export function addBounds(a: EntropyBounds, b: EntropyBounds, k = 1): EntropyBounds {
  return { lower: a.lower + k * b.lower, point: a.point + k * b.point, upper: a.upper + k * b.upper };
}

/** Every bound at most `cap`, and the point between the bounds. */
export function capBounds(a: EntropyBounds, cap: number): EntropyBounds {
  const upper = Math.max(0, Math.min(a.upper, cap));
  const point = Math.max(0, Math.min(a.point, upper));
  return { lower: Math.max(0, Math.min(a.lower, point)), point, upper };
}

/** No entropy at all. */
export const ZERO_BOUNDS: EntropyBounds = { lower: 0, point: 0, upper: 0 };
