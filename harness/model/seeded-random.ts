/**
 * A small seeded generator (mulberry32): the same seed gives the same sequence on every run,
 * for reservoirs and test data that must replay. Not for anything that needs unpredictability.
 * Returns unsigned 32-bit words.
 */
export function seededWords(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** {@link seededWords} scaled to [0, 1). */
export function seededUniform(seed: number): () => number {
  const next = seededWords(seed);
  return () => next() / 4294967296;
}
