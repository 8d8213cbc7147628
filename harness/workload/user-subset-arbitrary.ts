import fc from 'fast-check';

/**
 * An arbitrary over subsets of the flow's users that always generates the full set (the
 * profile's run is the first execution) and shrinks like delta debugging: drop the first or
 * second half, then quarters, down to single users, so a failing interleaving of 500 users
 * shrinks to the few users it needs. Shrinking is deterministic, so fast-check's seed and path
 * replay the same subset.
 */
export class UserSubsetArbitrary extends fc.Arbitrary<readonly number[]> {
  readonly #all: readonly number[];

  constructor(all: readonly number[]) {
    super();
    this.#all = all;
  }

  generate(): fc.Value<readonly number[]> {
    return new fc.Value(this.#all, undefined);
  }

  canShrinkWithoutContext(value: unknown): value is readonly number[] {
    return Array.isArray(value) && value.every((v) => typeof v === 'number' && this.#all.includes(v));
  }

  shrink(value: readonly number[]): fc.Stream<fc.Value<readonly number[]>> {
    return new fc.Stream(candidates(value)).map((v) => new fc.Value(v, undefined));
  }
}

/** Subsets of `value` without one chunk, chunks from half the set down to one user; never empty. */
function* candidates(value: readonly number[]): Generator<readonly number[]> {
  const n = value.length;
  if (n <= 1) return;
  for (let parts = 2; parts <= n; parts = Math.min(n, parts * 2)) {
    const size = Math.ceil(n / parts);
    for (let start = 0; start < n; start += size) {
      const rest = [...value.slice(0, start), ...value.slice(start + size)];
      if (rest.length > 0) yield rest;
    }
    if (parts === n) return;
  }
}
