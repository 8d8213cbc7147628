import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createIdBatch } from '../model/index.js';
import { encodeBatch, encodeIds } from './encode-batch.js';
import { fingerprintAll } from './fingerprint.js';

describe('encodeBatch', () => {
  it('encodes a batch once, as encodeIds does, with the fingerprints fingerprintAll gives', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 50 }), (ids) => {
        const batch = createIdBatch({ batchId: 'b', domain: 'user', ids, owners: 0 });
        const e = encodeBatch(batch);
        const plain = encodeIds(ids);
        expect(e.bytes.equals(plain.bytes)).toBe(true);
        expect([...e.offsets]).toEqual([...plain.offsets]);
        const a = new Uint32Array(ids.length);
        const b = new Uint32Array(ids.length);
        fingerprintAll(plain.bytes, plain.offsets, a, b);
        expect([...e.fingerprints().a]).toEqual([...a]);
        expect([...e.fingerprints().b]).toEqual([...b]);
        // The second ledger to ask gets the same encoding, not a new one.
        expect(encodeBatch(batch)).toBe(e);
        expect(e.fingerprints()).toBe(e.fingerprints());
      }),
      { numRuns: 100 },
    );
  });
});
