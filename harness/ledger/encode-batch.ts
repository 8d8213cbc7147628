import type { IdBatch } from '../model/index.js';
import { fingerprintAll } from './fingerprint.js';

/** A batch's IDs as one UTF-8 buffer with the byte offset of each ID. */
export interface EncodedIds {
  /** All IDs' UTF-8 bytes back to back. */
  readonly bytes: Buffer;
  /** `offsets[i]`..`offsets[i + 1]` are ID i's bytes; `n + 1` entries. */
  readonly offsets: Uint32Array;
  /** Position of the first ID holding a lone surrogate (no UTF-8 form), or -1. */
  readonly illFormedAt: number;
}

/**
 * Encodes IDs in one native call. When the whole batch is ASCII (the common case, detected by
 * byte length = string length) the offsets come from string lengths; otherwise each ID's byte
 * length is asked of the native encoder, and each ID is checked for lone surrogates, which the
 * encoder would silently replace: `illFormedAt` reports the first, and callers must reject the
 * batch (an ASCII batch cannot hold one).
 */
export function encodeIds(ids: readonly string[]): EncodedIds {
  const n = ids.length;
  const joined = ids.join('');
  const bytes = Buffer.from(joined, 'utf8');
  const offsets = new Uint32Array(n + 1);
  let at = 0;
  if (bytes.length === joined.length) {
    for (let i = 0; i < n; i++) {
      at += ids[i]!.length;
      offsets[i + 1] = at;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const id = ids[i]!;
      if (!id.isWellFormed()) return { bytes, offsets, illFormedAt: i };
      at += Buffer.byteLength(id, 'utf8');
      offsets[i + 1] = at;
    }
  }
  return { bytes, offsets, illFormedAt: -1 };
}

/** A batch's IDs encoded once, with their 64-bit fingerprints computed on first use. */
export interface EncodedBatch extends EncodedIds {
  /** Lanes A and B of each ID's fingerprint (see {@link fingerprintAll}); shared, so never modify them. */
  fingerprints(): { readonly a: Uint32Array; readonly b: Uint32Array };
}

const encoded = new WeakMap<IdBatch, EncodedBatch>();

/**
 * {@link encodeIds} of `batch.ids`, done once per batch however many ledgers ask: the memory,
 * Redis and ClickHouse ledgers all need the bytes, and the first two the fingerprints. Held only
 * while the batch itself is (batches are immutable once created).
 */
export function encodeBatch(batch: IdBatch): EncodedBatch {
  let e = encoded.get(batch);
  if (e === undefined) {
    const ids = encodeIds(batch.ids);
    let lanes: { a: Uint32Array; b: Uint32Array } | undefined;
    e = {
      ...ids,
      fingerprints() {
        if (lanes === undefined) {
          const n = ids.offsets.length - 1;
          lanes = { a: new Uint32Array(n), b: new Uint32Array(n) };
          fingerprintAll(ids.bytes, ids.offsets, lanes.a, lanes.b);
        }
        return lanes;
      },
    };
    encoded.set(batch, e);
  }
  return e;
}
