import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FieldSample } from './field-sample.js';
import { prefixCollisions } from './prefix-collisions.js';

/** Pairs i < j whose values agree on the first `symbols` characters and whose IDs differ. */
function bruteForce(values: readonly string[], ids: readonly string[], symbols: number): number {
  let pairs = 0;
  for (let i = 0; i < values.length; i++) {
    for (let j = i + 1; j < values.length; j++) {
      if (ids[i] !== ids[j] && values[i]!.slice(0, symbols) === values[j]!.slice(0, symbols)) pairs++;
    }
  }
  return pairs;
}

describe('prefixCollisions', () => {
  // Small alphabets and short values make equal prefixes, and picking IDs from a small pool makes
  // repeated IDs, so both counting paths (with and without repeated IDs) are exercised.
  const samples = fc
    .array(fc.tuple(fc.stringMatching(/^[ab][ab][ab][ab]$/), fc.nat({ max: 30 })), { minLength: 2, maxLength: 300 })
    .map((rows) => rows.map(([value, tag]) => ({ value, id: `u_${tag % 3 === 0 ? 'same' : String(tag)}_${value}` })));

  it('counts exactly the pairs of distinct IDs that share a prefix or the whole value', () => {
    fc.assert(
      fc.property(samples, fc.integer({ min: 1, max: 4 }), (rows, symbols) => {
        const sample = new FieldSample({ length: 4, alphabet: 'ab', sampleSize: 1_000, seed: 7 });
        for (const r of rows) sample.add(r.value, r.id);
        const counted = prefixCollisions(sample, symbols);
        expect(counted.observed).toBe(bruteForce(rows.map((r) => r.value), rows.map((r) => r.id), symbols));
      }),
      { numRuns: 200 },
    );
  });

  it('finds no pairs among distinct values', () => {
    const sample = new FieldSample({ length: 6, alphabet: '0123456789', sampleSize: 10_000, seed: 1 });
    for (let i = 0; i < 5_000; i++) sample.add(String(100_000 + i));
    expect(prefixCollisions(sample, 6).observed).toBe(0);
    // Sharing the first three digits: 5 000 values in 5 groups of 1 000.
    expect(prefixCollisions(sample, 3).observed).toBe(5 * ((1_000 * 999) / 2));
  });
});
