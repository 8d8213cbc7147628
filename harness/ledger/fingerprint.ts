/*
 * 64-bit fingerprints of byte ranges, two 32-bit lanes per ID, computed over a whole batch's
 * UTF-8 buffer in one loop. Each lane is MurmurHash3's x86_32 block mixing (public-domain
 * algorithm by Austin Appleby) with its own seed; the home slot of a hash table comes from lane
 * A. Fingerprints are for finding candidates only: equal fingerprints are always confirmed by
 * comparing bytes.
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;
const SEED_A = 0x9747b28c;
const SEED_B = 0x3c6ef372;

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Fingerprints every ID of a batch: `a[i]`, `b[i]` are the two lanes of ID i, whose bytes are
 * `bytes[offsets[i]..offsets[i+1]]`.
 */
export function fingerprintAll(bytes: Uint8Array, offsets: Uint32Array, a: Uint32Array, b: Uint32Array): void {
  const n = offsets.length - 1;
  for (let i = 0; i < n; i++) {
    const start = offsets[i]!;
    const end = offsets[i + 1]!;
    let ha = SEED_A;
    let hb = SEED_B;
    let p = start;
    const blocksEnd = start + ((end - start) & ~3);
    for (; p < blocksEnd; p += 4) {
      let k = bytes[p]! | (bytes[p + 1]! << 8) | (bytes[p + 2]! << 16) | (bytes[p + 3]! << 24);
      k = Math.imul(k, C1);
      k = (k << 15) | (k >>> 17);
      k = Math.imul(k, C2);
      ha ^= k;
      ha = (ha << 13) | (ha >>> 19);
      ha = (Math.imul(ha, 5) + 0xe6546b64) | 0;
      hb ^= k;
      hb = (hb << 17) | (hb >>> 15);
      hb = (Math.imul(hb, 9) + 0x7b7d159c) | 0;
    }
    const rest = end - p;
    if (rest > 0) {
      let k = bytes[p]!;
      if (rest > 1) k |= bytes[p + 1]! << 8;
      if (rest > 2) k |= bytes[p + 2]! << 16;
      k = Math.imul(k, C1);
      k = (k << 15) | (k >>> 17);
      k = Math.imul(k, C2);
      ha ^= k;
      hb ^= k;
    }
    const len = end - start;
    a[i] = fmix(ha ^ len);
    b[i] = fmix(hb ^ len ^ 0x5bd1e995);
  }
}

/** One ID's fingerprint, for tests and single lookups. */
export function fingerprintOf(bytes: Uint8Array): [number, number] {
  const a = new Uint32Array(1);
  const b = new Uint32Array(1);
  fingerprintAll(bytes, Uint32Array.of(0, bytes.length), a, b);
  return [a[0]!, b[0]!];
}
