import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createIdBatch } from '../model/index.js';
import { rowBinaryRows } from './row-binary-rows.js';

/** Reads RowBinary rows back: the obvious decoder, to check the fast encoder against. */
function decode(buf: Buffer): [number, string, string, number][] {
  const rows: [number, string, string, number][] = [];
  let at = 0;
  const str = () => {
    let len = 0;
    let shift = 1;
    for (;;) {
      const byte = buf[at++]!;
      len += (byte & 0x7f) * shift;
      if (byte < 0x80) break;
      shift *= 128;
    }
    const s = buf.toString('utf8', at, at + len);
    at += len;
    return s;
  };
  while (at < buf.length) {
    const b = buf.readUInt32LE(at);
    at += 4;
    const domain = str();
    const id = str();
    const owner = buf.readUInt32LE(at);
    at += 4;
    rows.push([b, domain, id, owner]);
  }
  return rows;
}

describe('rowBinaryRows', () => {
  it('encodes every row so that it decodes to the same batch number, domain, ID and owner', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 20 }), fc.constantFrom('', 'a\tb\n\0', 'x'.repeat(300))), { maxLength: 20 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 300 }),
        fc.nat(),
        (idLists, pieceBytes, base) => {
          const batches = idLists.map((ids, k) => ({ b: (base + k) >>> 0, batch: createIdBatch({ batchId: `r${k}`, domain: 'run', ids, owners: Uint32Array.from(ids, (_, i) => (i * 2_654_435_761) >>> 0) }) }));
          const expected = batches.flatMap(({ b, batch }) => batch.ids.map((id, i) => [b, 'run', id, batch.owners[i]!]));
          expect(decode(Buffer.concat([...rowBinaryRows(batches, pieceBytes)]))).toEqual(expected);
        },
      ),
    );
  });
});
