/**
 * Many strings as two transferable buffers: their UTF-8 bytes back to back, and each string's
 * length in UTF-16 code units. A batch crosses between threads as two `ArrayBuffer`s moved in a
 * transfer list, never as one cloned object per ID.
 */
export interface PackedStrings {
  /** Every string's UTF-8 bytes, concatenated; owns its `ArrayBuffer` (transferable). */
  readonly bytes: Uint8Array;
  /** `lengths[i]`: string i's length in UTF-16 code units. */
  readonly lengths: Uint32Array;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Packs `values` when they can make the trip exactly: every one a string, and together well-formed
 * UTF-16 (a lone surrogate does not survive UTF-8). Anything else — a target answering garbage —
 * gives `undefined`, and the caller sends the value as it is (structured clone), so the receiving
 * side's shape check sees what the target really answered.
 */
export function packStrings(values: unknown): PackedStrings | undefined {
  if (!Array.isArray(values)) return undefined;
  const lengths = new Uint32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v: unknown = values[i];
    if (typeof v !== 'string') return undefined;
    lengths[i] = v.length;
  }
  const joined = (values as string[]).join('');
  if (!joined.isWellFormed()) return undefined;
  // TextEncoder allocates a fresh ArrayBuffer; Buffer.from could hand out the shared pool, which is untransferable.
  return { bytes: encoder.encode(joined), lengths };
}

/** The strings of {@link packStrings}; a RangeError when the buffers do not agree with each other. */
export function unpackStrings(packed: PackedStrings): string[] {
  const joined = decoder.decode(packed.bytes);
  const out = new Array<string>(packed.lengths.length);
  let at = 0;
  for (let i = 0; i < packed.lengths.length; i++) {
    const end = at + packed.lengths[i]!;
    out[i] = joined.slice(at, end);
    at = end;
  }
  if (at !== joined.length) throw new RangeError(`unpackStrings: the lengths cover ${at} code units but the bytes hold ${joined.length}; pack both with packStrings`);
  return out;
}

/** The buffers to list in `postMessage`'s transfer list. */
export function transferablesOf(packed: PackedStrings): ArrayBuffer[] {
  return [packed.bytes.buffer as ArrayBuffer, packed.lengths.buffer as ArrayBuffer];
}
