import { seededUniform } from '../model/index.js';

/** Positions of a field tracked; longer fields are estimated over their first 64 characters. */
export const MAX_POSITIONS = 64;
/** Distinct symbols tracked for a field with no declared alphabet; later ones share the last slot. */
export const MAX_SYMBOLS = 64;


/**
 * Two 32-bit FNV-1a hashes of `text` with different seeds, in one pass, into `out[2i]` and
 * `out[2i + 1]`. One pass instead of two: hashing was 9 % of the gate's main thread.
 */
function hash64Into(text: string, out: Uint32Array, i: number): void {
  let a = 0x811c9dc5;
  let b = 0x9e3779b9;
  for (let j = 0; j < text.length; j++) {
    const c = text.charCodeAt(j);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193);
  }
  out[2 * i] = a >>> 0;
  out[2 * i + 1] = b >>> 0;
}

/** Options of {@link FieldSample}. */
export interface FieldSampleOptions {
  /** Characters of the field (its length: values of other lengths are refused). */
  readonly length: number;
  /** The declared alphabet; absent: symbols are numbered as they are first seen (up to {@link MAX_SYMBOLS}). */
  readonly alphabet?: string;
  /** Values kept for the collision counts. */
  readonly sampleSize: number;
  /** Seeds the reservoir; derive it from the domain so runs repeat. */
  readonly seed: number;
}

/**
 * Everything the entropy estimators need from one random field of one domain, in bounded memory:
 * per position, symbol counts over every value and lag-1 transition counts (consecutive values
 * within a batch, in minting order: a clock- or counter-derived position shows here), and a
 * seeded reservoir of at most `sampleSize` values (symbols plus a 64-bit hash of the whole value)
 * for the collision counts. It never keeps every value.
 */
export class FieldSample {
  /** Characters per value. */
  readonly length: number;
  /** Positions tracked: `min(length, MAX_POSITIONS)`. */
  readonly positions: number;
  /** Symbol slots per position. */
  readonly symbols: number;
  /** Values observed. */
  seen = 0;
  /** Per position × symbol: occurrences (`counts[pos * symbols + s]`). */
  readonly counts: Uint32Array;
  /** Per position × previous symbol × symbol: consecutive pairs within a batch. */
  readonly transitions: Uint32Array;
  /** The reservoir's symbols, `positions` per value. */
  values: Uint8Array;
  /** The reservoir's 64-bit hashes of whole values, two words per value. */
  hashes: Uint32Array;
  /** The reservoir's 64-bit hashes of the IDs the values came from, two words per value. */
  idHashes: Uint32Array;
  /** Values in the reservoir. */
  sampled = 0;

  readonly #index = new Int16Array(128).fill(-1);
  readonly #declared: boolean;
  #next = 0;
  readonly #prev: Int16Array;
  readonly #cap: number;
  readonly #random: () => number;

  constructor(options: FieldSampleOptions) {
    if (!Number.isInteger(options.length) || options.length < 1) throw new RangeError(`FieldSample: length must be a whole number ≥ 1, got ${options.length}; pass the field's length`);
    this.length = options.length;
    this.positions = Math.min(options.length, MAX_POSITIONS);
    this.#declared = options.alphabet !== undefined;
    if (options.alphabet !== undefined) {
      for (const c of options.alphabet) if (c.charCodeAt(0) < 128 && this.#index[c.charCodeAt(0)] === -1) this.#index[c.charCodeAt(0)] = this.#next++;
      this.symbols = Math.max(1, this.#next);
    } else {
      this.symbols = MAX_SYMBOLS;
    }
    this.counts = new Uint32Array(this.positions * this.symbols);
    this.transitions = new Uint32Array(this.positions * this.symbols * this.symbols);
    this.#prev = new Int16Array(this.positions).fill(-1);
    this.#cap = options.sampleSize;
    this.values = new Uint8Array(Math.min(1024, this.#cap) * this.positions);
    this.hashes = new Uint32Array(Math.min(1024, this.#cap) * 2);
    this.idHashes = new Uint32Array(Math.min(1024, this.#cap) * 2);
    this.#random = seededUniform(options.seed);
  }

  /** Distinct symbols seen (declared alphabets: the alphabet's size). */
  get alphabetSize(): number {
    return this.#declared ? this.symbols : Math.min(this.#next, MAX_SYMBOLS);
  }

  /** Starts a new run of consecutive values (a new batch). */
  startBatch(): void {
    this.#prev.fill(-1);
  }

  #symbol(code: number): number {
    const i = code < 128 ? this.#index[code]! : -1;
    if (i >= 0) return i;
    if (this.#declared) return 0; // the spec check rejects such values before they get here
    if (code < 128 && this.#next < MAX_SYMBOLS) {
      this.#index[code] = this.#next;
      return this.#next++;
    }
    return MAX_SYMBOLS - 1;
  }

  /**
   * Records one value, read out of `id` (default: the value is the ID); false (and nothing
   * recorded) when its length is not the field's.
   */
  add(value: string, id: string = value): boolean {
    if (value.length !== this.length) return false;
    const k = this.symbols;
    const n = this.seen++;
    let slot = -1;
    if (this.sampled < this.#cap) slot = this.sampled++;
    else {
      const r = Math.floor(this.#random() * (n + 1));
      if (r < this.#cap) slot = r;
    }
    if (slot >= 0) this.#reserve(slot);
    const base = slot * this.positions;
    for (let j = 0; j < this.positions; j++) {
      const s = this.#symbol(value.charCodeAt(j));
      this.counts[j * k + s]!++;
      const p = this.#prev[j]!;
      if (p >= 0) this.transitions[(j * k + p) * k + s]!++;
      this.#prev[j] = s;
      if (slot >= 0) this.values[base + j] = s;
    }
    if (slot >= 0) {
      hash64Into(value, this.hashes, slot);
      if (id === value) {
        this.idHashes[2 * slot] = this.hashes[2 * slot]!;
        this.idHashes[2 * slot + 1] = this.hashes[2 * slot + 1]!;
      } else hash64Into(id, this.idHashes, slot);
    }
    return true;
  }

  #reserve(slot: number): void {
    if ((slot + 1) * this.positions <= this.values.length) return;
    const rows = Math.min(this.#cap, Math.max(slot + 1, (this.values.length / this.positions) * 2));
    const values = new Uint8Array(rows * this.positions);
    values.set(this.values);
    this.values = values;
    const hashes = new Uint32Array(rows * 2);
    hashes.set(this.hashes);
    this.hashes = hashes;
    const idHashes = new Uint32Array(rows * 2);
    idHashes.set(this.idHashes);
    this.idHashes = idHashes;
  }
}
