import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineSplitter } from './line-splitter.js';

describe('LineSplitter', () => {
  it('gives back exactly the lines written, however the bytes are chunked', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' }).map((s) => s.replaceAll('\n', '')), { maxLength: 20 }), fc.array(fc.nat({ max: 50 }), { maxLength: 30 }), (lines, cuts) => {
        const bytes = Buffer.from(lines.map((l) => `${l}\n`).join(''), 'utf8');
        const splitter = new LineSplitter();
        const out: string[] = [];
        let at = 0;
        for (const cut of [...cuts, bytes.length]) {
          const end = Math.min(bytes.length, at + cut);
          for (const l of splitter.push(bytes.subarray(at, end)) ?? []) out.push(l.toString('utf8'));
          at = end;
        }
        expect(out).toEqual(lines);
        expect(splitter.pendingBytes).toBe(0);
      }),
    );
  });

  it('reports a line beyond the limit instead of growing without bound', () => {
    const splitter = new LineSplitter({ maxLineBytes: 10 });
    expect(splitter.push(Buffer.from('12345'))).toEqual([]);
    expect(splitter.push(Buffer.from('678901'))).toBeUndefined();
  });
});
