import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededUniform } from '../harness/model/index.js';
import { bitsNeeded, collisionEstimate, collisionMeanTime, collisionProbability, mostCommonValueEstimate, volumeAtRisk } from '../harness/checks/index.js';


describe('most common value estimate (SP 800-90B §6.3.1)', () => {
  it('is -log2 of the commonest share, bracketed by its bounds, and 0 for a constant', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 10_000 }), { minLength: 2, maxLength: 64 }), (counts) => {
        fc.pre(counts.reduce((a, b) => a + b, 0) > 1);
        const total = counts.reduce((a, b) => a + b, 0);
        const cap = Math.log2(counts.length);
        const e = mostCommonValueEstimate(counts, cap);
        expect(e.point).toBeCloseTo(Math.min(cap, -Math.log2(Math.max(...counts) / total)), 9);
        expect(e.lower).toBeLessThanOrEqual(e.point + 1e-12);
        expect(e.upper).toBeGreaterThanOrEqual(e.point - 1e-12);
        expect(e.upper).toBeLessThanOrEqual(cap + 1e-12);
      }),
    );
    expect(mostCommonValueEstimate([0, 5000, 0, 0], 2)).toEqual({ lower: 0, point: 0, upper: 0 });
  });

  it('takes the upper bound p̂ + 2.576·√(p̂(1−p̂)/(L−1)) for its lower entropy bound', () => {
    const e = mostCommonValueEstimate([600, 400], 1);
    expect(e.lower).toBeCloseTo(-Math.log2(0.6 + 2.576 * Math.sqrt((0.6 * 0.4) / 999)), 12);
  });
});

describe('collision estimate (SP 800-90B §6.3.2)', () => {
  it("step 7's mean collision time equals 2 + 2pq, the mean of a binary source's first repeat", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.5, max: 0.999, noNaN: true }), (p) => {
        expect(collisionMeanTime(p)).toBeCloseTo(2 + 2 * p * (1 - p), 6);
      }),
    );
  });

  it('recovers the min-entropy of a biased bit source within 0.03 bits', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.6, max: 0.95, noNaN: true }), fc.integer(), (p, seed) => {
        const next = seededUniform(seed);
        const bits = Uint8Array.from({ length: 400_000 }, () => (next() < p ? 1 : 0));
        const e = collisionEstimate((i) => bits[i]!, bits.length);
        expect(Math.abs(e.point + Math.log2(p))).toBeLessThan(0.03);
        expect(e.lower).toBeLessThanOrEqual(e.point);
        expect(e.upper).toBeGreaterThanOrEqual(e.point);
      }),
      { numRuns: 20 },
    );
  });

  it('gives a fair source 1 bit at its upper bound and a constant one 0', () => {
    const next = seededUniform(7);
    const bits = Uint8Array.from({ length: 400_000 }, () => (next() < 0.5 ? 1 : 0));
    const fair = collisionEstimate((i) => bits[i]!, bits.length);
    expect(fair.upper).toBe(1);
    expect(fair.lower).toBeGreaterThan(0.8);
    expect(collisionEstimate(() => 1, 1000)).toEqual({ lower: 0, point: 0, upper: 0 });
  });
});

describe('collision projection (birthday bound)', () => {
  it('puts 96 bits just inside the default target: 10⁹/day for a year at 10⁻⁶ needs 95.75 bits', () => {
    const n = 1e9 * 365;
    expect(bitsNeeded(n, 1e-6)).toBeCloseTo(95.75, 2);
    expect(collisionProbability(n, 96)).toBeCloseTo(8.4e-7, 8);
    expect(collisionProbability(n, 32)).toBe(1);
  });

  it('volumeAtRisk inverts bitsNeeded, and the probability at the bits needed is the threshold', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e3, max: 1e15, noNaN: true }), fc.double({ min: 1e-12, max: 0.5, noNaN: true }), (n, t) => {
        const b = bitsNeeded(n, t);
        expect(volumeAtRisk(b, t) / n).toBeCloseTo(1, 6);
        expect(collisionProbability(n, b) / t).toBeCloseTo(1, 6);
      }),
    );
  });
});
