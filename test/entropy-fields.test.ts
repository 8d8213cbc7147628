import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededWords } from '../harness/model/index.js';
import { estimateFieldEntropy, FieldSample } from '../harness/checks/index.js';

// Synthetic fields of known min-entropy, fed value by value into a FieldSample as the check does.
const HEX = '0123456789abcdef';
const BASE4 = 'wxyz';
const N = 50_000;


/** Feeds `values` as the check does; each comes from a distinct ID (as when a tag or timestamp differs) unless `sameIds`. */
function sampleOf(values: Iterable<string>, length: number, alphabet?: string, sameIds = false): FieldSample {
  const s = new FieldSample({ length, sampleSize: 200_000, seed: 1, ...(alphabet === undefined ? {} : { alphabet }) });
  let i = 0;
  for (const v of values) {
    if (i % 1000 === 0) s.startBatch();
    s.add(v, sameIds ? v : `id${i}_${v}`);
    i++;
  }
  return s;
}

/** `count` values of `length` characters; `symbol(position, word)` picks each character. */
function* field(count: number, length: number, seed: number, symbol: (position: number, next: () => number) => string): Generator<string> {
  const next = seededWords(seed);
  for (let i = 0; i < count; i++) {
    let v = '';
    for (let j = 0; j < length; j++) v += symbol(j, next);
    yield v;
  }
}

describe('estimates on synthetic fields of known entropy are within 1 bit', () => {
  it('40 uniform bits (10 hex or 20 base-4 characters)', () => {
    fc.assert(
      fc.property(fc.constantFrom([HEX, 10], [BASE4, 20]), fc.integer(), ([alphabet, length], seed) => {
        const bitsPer = Math.log2(alphabet.length);
        const e = estimateFieldEntropy(sampleOf(field(N, length, seed, (_, next) => alphabet[next() % alphabet.length]!), length, alphabet));
        expect(Math.abs(e.bits.point - 40), JSON.stringify(e.bits)).toBeLessThan(1);
        expect(Math.abs(e.bits.upper - 40)).toBeLessThan(1);
        expect(e.bits.lower).toBeLessThanOrEqual(40 + 1e-9);
        expect(e.flagged).toEqual([]);
        expect(bitsPer * length).toBe(40);
      }),
      { numRuns: 6 },
    );
  });

  it('40 bits with 8 fixed (true 32): whole characters fixed, or one bit fixed in each of 8 characters', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.shuffledSubarray([...Array(10).keys()], { minLength: 8, maxLength: 8 }), fc.integer(), (wholeChars, chosen, seed) => {
        // wholeChars: 2 of the 10 hex characters are constant; else the top bit of 8 characters is 0.
        const fixed = new Set(wholeChars ? chosen.slice(0, 2) : chosen);
        const e = estimateFieldEntropy(
          sampleOf(
            field(N, 10, seed, (j, next) => (!fixed.has(j) ? HEX[next() % 16]! : wholeChars ? 'c' : HEX[next() % 8]!)),
            10,
            HEX,
          ),
        );
        expect(Math.abs(e.bits.point - 32), JSON.stringify(e.bits)).toBeLessThan(1);
        expect(Math.abs(e.bits.upper - 32)).toBeLessThan(1);
        expect(e.bits.lower).toBeLessThanOrEqual(32 + 1e-9);
        expect(e.flagged.map((f) => f.position).sort()).toEqual([...fixed].sort());
      }),
      { numRuns: 8 },
    );
  });
});

describe('what per-character frequencies cannot see', () => {
  it('a clock- or counter-derived position is set apart as sequential and credited near 0 bits', () => {
    fc.assert(
      fc.property(fc.constantFrom('clock', 'counter'), fc.integer(), (kind, seed) => {
        // 6 random hex characters (24 bits) then 2 derived ones: a ms clock ticking every ~40 IDs, or a counter.
        let i = 0;
        const e = estimateFieldEntropy(
          sampleOf(
            field(N, 8, seed, (j, next) => {
              if (j < 6) return HEX[next() % 16]!;
              const t = kind === 'clock' ? Math.floor(i / 40) : i;
              if (j === 7) i++;
              return HEX[(j === 6 ? t >> 4 : t) & 15]!;
            }),
            8,
            HEX,
          ),
        );
        expect(e.flagged.map((f) => f.position)).toContain(7);
        expect(e.flagged.find((f) => f.position === 7)?.flag).toBe('sequential');
        expect(Math.abs(e.bits.point - 24), JSON.stringify(e.bits)).toBeLessThan(1.5);
        expect(e.bits.upper).toBeLessThan(26);
      }),
      { numRuns: 4 },
    );
  });

  it('a generator seeded from 20 bits that looks uniform per character is capped near 20 bits by its collisions', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const next = seededWords(seed);
        function* seeded(): Generator<string> {
          for (let i = 0; i < N; i++) {
            // 24 hex characters expanded from a 20-bit seed: uniform per character, 20 bits in all.
            const w = seededWords((next() & 0xfffff) + 1);
            let v = '';
            for (let j = 0; j < 3; j++) v += w().toString(16).padStart(8, '0');
            yield v;
          }
        }
        const e = estimateFieldEntropy(sampleOf(seeded(), 24, HEX));
        expect(e.collisions.at(-1)?.excess).toBe(true);
        expect(Math.abs(e.bits.point - 20), JSON.stringify(e.bits)).toBeLessThan(1);
        expect(e.bits.upper).toBeLessThan(21);
      }),
      { numRuns: 3 },
    );
  });

  it('an ID handed out twice is the duplicate check\'s, not evidence of low entropy', () => {
    const values = [...field(N, 24, 3, (_, nx) => HEX[nx() % 16]!)];
    // Every 50th ID is handed out again 500 IDs later (a reissue); the generator itself is sound.
    const reissued = values.flatMap((v, i) => (i % 50 === 0 && i >= 500 ? [v, values[i - 500]!] : [v]));
    const e = estimateFieldEntropy(sampleOf(reissued, 24, HEX, true));
    expect(e.collisions.at(-1)?.observed).toBe(0);
    expect(e.bits.upper).toBe(96);
  });

  it('a field with no declared alphabet (a trailing token) is estimated on the symbols it shows', () => {
    const e = estimateFieldEntropy(sampleOf(field(N, 12, 5, (j, next) => (j === 4 ? '-' : HEX[next() % 16]!)), 12));
    expect(Math.abs(e.bits.point - 44)).toBeLessThan(1);
    expect(e.flagged.map((f) => [f.position, f.flag])).toEqual([[4, 'biased']]);
  });
});
