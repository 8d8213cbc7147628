import { collisionEstimate } from './collision-estimate.js';
import { addBounds, boundsFromProbability, capBounds, minBounds, ZERO_BOUNDS, type EntropyBounds } from './entropy-bounds.js';
import type { FieldSample } from './field-sample.js';
import { lagDependence } from './lag-dependence.js';
import { mostCommonValueEstimate } from './most-common-value-estimate.js';
import { prefixCollisions, type PrefixCollisions } from './prefix-collisions.js';

/** Why a position is estimated on its own rather than with the rest of the field. */
export type PositionFlag = 'biased' | 'sequential';

/** One position set apart from the field: constant, skewed, or following its predecessor. */
export interface FlaggedPosition {
  readonly position: number;
  readonly flag: PositionFlag;
  /** Its own min-entropy estimate, bits. */
  readonly bits: EntropyBounds;
  /** Lag-1 dependence z (see {@link lagDependence}). */
  readonly lagZ: number;
}

/** The min-entropy estimate of one field, and how it was reached. */
export interface FieldEntropy {
  /** The whole field's min-entropy, bits. */
  readonly bits: EntropyBounds;
  /** Characters, and the most one character can hold (log2 of the alphabet size). */
  readonly length: number;
  readonly bitsPerSymbolCap: number;
  /** Values seen, and values in the reservoir. */
  readonly values: number;
  readonly sampled: number;
  /** Per symbol over the positions that behave alike: SP 800-90B §6.3.1 and §6.3.2 (absent when the alphabet is not a power of two). */
  readonly perSymbol: { readonly mostCommonValue: EntropyBounds; readonly collision?: EntropyBounds; readonly positions: number };
  /** Positions estimated on their own. */
  readonly flagged: readonly FlaggedPosition[];
  /** Collision counts at the first 16, 24 and 32 bits and over the whole value. */
  readonly collisions: readonly PrefixCollisions[];
  /** Bits taken off because the collision counts show dependence the per-position estimate misses. */
  readonly collisionPenalty: number;
}

/** Options of {@link estimateFieldEntropy}. */
export interface FieldEntropyOptions {
  /** Prefix widths counted for collisions, in bits. Default 16, 24, 32. */
  readonly prefixBits?: readonly number[];
  /** Bits walked by the collision estimate at most (time bound). Default 2²⁴. */
  readonly maxCollisionBits?: number;
}

/** A position depends on its predecessor when the lag-1 χ² z exceeds this. */
const LAG_Z = 6;

/**
 * Estimates a field's min-entropy from a {@link FieldSample}, trusting no claim:
 * 1. per position, the most common value estimate and a lag-1 dependence test; a position that
 *    follows its predecessor (clock, counter) is estimated by a lag-1 predictor's hit rate;
 * 2. positions clearly more predictable than the rest (their z = 5 bound below the others' 99 %
 *    bound: constant or skewed) are estimated on their own; the others are pooled, and per symbol
 *    the field gets the smaller of the most common value (§6.3.1) and collision (§6.3.2, on the
 *    symbols' bits) estimates;
 * 3. collision counts in the reservoir at prefixes and over the whole value: an excess over
 *    what the per-position frequencies predict takes the shortfall off (prefixes) or caps the
 *    field at the collision entropy the sample shows (whole value).
 */
export function estimateFieldEntropy(sample: FieldSample, options: FieldEntropyOptions = {}): FieldEntropy {
  const k = sample.symbols;
  const alphabet = Math.max(1, sample.alphabetSize);
  const cap = Math.log2(alphabet);
  const positions = sample.positions;
  if (sample.seen === 0) {
    return { bits: ZERO_BOUNDS, length: sample.length, bitsPerSymbolCap: cap, values: 0, sampled: 0, perSymbol: { mostCommonValue: ZERO_BOUNDS, positions: 0 }, flagged: [], collisions: [], collisionPenalty: 0 };
  }

  const own: EntropyBounds[] = [];
  const lag: { z: number; predicted: number; pairs: number }[] = [];
  for (let j = 0; j < positions; j++) {
    own.push(mostCommonValueEstimate(sample.counts.subarray(j * k, (j + 1) * k), cap));
    lag.push(lagDependence(sample.transitions, j * k * k, k));
  }
  const flags = new Map<number, PositionFlag>();
  for (let j = 0; j < positions; j++) if (lag[j]!.z > LAG_Z) flags.set(j, 'sequential');

  const pooled = (): Uint32Array => {
    const sum = new Uint32Array(k);
    for (let j = 0; j < positions; j++) {
      if (flags.has(j)) continue;
      for (let s = 0; s < k; s++) sum[s]! += sample.counts[j * k + s]!;
    }
    return sum;
  };
  const first = mostCommonValueEstimate(pooled(), cap);
  for (let j = 0; j < positions; j++) if (!flags.has(j) && own[j]!.upper < first.lower) flags.set(j, 'biased');
  const pool = [...Array(positions).keys()].filter((j) => !flags.has(j));
  const mcv = mostCommonValueEstimate(pooled(), cap);

  let collision: EntropyBounds | undefined;
  const declaredPow2 = Number.isInteger(Math.log2(alphabet)) && alphabet >= 2 && (alphabet === k || k === 64);
  if (declaredPow2 && pool.length > 0 && sample.sampled > 0) {
    const b = Math.log2(alphabet);
    const perValue = pool.length * b;
    const rows = Math.min(sample.sampled, Math.max(1, Math.floor((options.maxCollisionBits ?? 2 ** 24) / perValue)));
    const length = rows * perValue;
    // The pooled positions' symbols, most significant bit first, row after row.
    const seq = new Uint8Array(length);
    let at = 0;
    for (let row = 0; row < rows; row++) {
      for (const pos of pool) {
        const sym = sample.values[row * positions + pos]!;
        for (let bit = b - 1; bit >= 0; bit--) seq[at++] = (sym >> bit) & 1;
      }
    }
    const perBit = collisionEstimate(seq, length);
    collision = { lower: perBit.lower * b, point: perBit.point * b, upper: perBit.upper * b };
  }
  // The collision estimate's point is flat near uniform (see collisionEstimate): it enters through
  // its bounds; the point is the most common value's.
  const perSymbol = capBounds(collision === undefined ? mcv : { lower: Math.min(mcv.lower, collision.lower), point: mcv.point, upper: Math.min(mcv.upper, collision.upper) }, cap);

  let bits: EntropyBounds = addBounds(ZERO_BOUNDS, perSymbol, pool.length);
  const flagged: FlaggedPosition[] = [];
  for (const [j, flag] of [...flags].sort((a, b) => a[0] - b[0])) {
    let e = own[j]!;
    if (flag === 'sequential') e = minBounds(e, boundsFromProbability(lag[j]!.predicted, lag[j]!.pairs, cap));
    bits = addBounds(bits, e);
    flagged.push({ position: j, flag, bits: e, lagZ: lag[j]!.z });
  }

  const collisions: PrefixCollisions[] = [];
  let penalty = 0;
  for (const w of options.prefixBits ?? [16, 24, 32]) {
    const m = Math.ceil(w / Math.max(1, cap));
    if (m >= positions || m * Math.log2(k) > 52) continue;
    const c = prefixCollisions(sample, m);
    collisions.push(c);
    if (c.excess) penalty = Math.max(penalty, c.modelBits - c.observedBits);
  }
  const whole = sample.length <= positions ? prefixCollisions(sample, positions) : undefined;
  if (whole !== undefined) collisions.push(whole);
  bits = { lower: bits.lower - penalty, point: bits.point - penalty, upper: bits.upper - penalty };
  if (whole?.excess === true) bits = minBounds(bits, { lower: whole.observedBits, point: whole.observedBits, upper: whole.observedBits });
  bits = capBounds(bits, sample.length * cap);

  return {
    bits,
    length: sample.length,
    bitsPerSymbolCap: cap,
    values: sample.seen,
    sampled: sample.sampled,
    perSymbol: { mostCommonValue: mcv, ...(collision === undefined ? {} : { collision }), positions: pool.length },
    flagged,
    collisions,
    collisionPenalty: penalty,
  };
}
