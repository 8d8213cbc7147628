import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createIdBatch } from '../model/index.js';
import { escapeTsv } from './tsv-escape.js';
import { tsvRows } from './tsv-rows.js';

describe('tsvRows', () => {
  it('writes the same bytes as one escaped template per row, in any piece size', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ unit: fc.constantFrom('a', 'é', '\t', '\n', '\\', '𝄞', '_', '0') }), { minLength: 0, maxLength: 30 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 7 }),
        (idLists, pieceBytes, escapedRows) => {
          const batches = idLists.map((ids, k) => ({ b: k * 3, batch: createIdBatch({ batchId: `t${k}`, domain: 'run', ids, owners: Uint32Array.from(ids, (_, i) => i * 1_000_003) }) }));
          const expected = batches.flatMap(({ b, batch }) => batch.ids.map((id, i) => `${b}\t${batch.domain}\t${escapeTsv(id)}\t${batch.owners[i]!}\n`)).join('');
          expect(Buffer.concat([...tsvRows(batches, pieceBytes, escapedRows)]).toString('utf8')).toBe(expected);
        },
      ),
    );
  });
});
