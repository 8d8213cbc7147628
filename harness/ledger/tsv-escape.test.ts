import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeTsv, isTsvPlain, sqlIdentifier, validateRunId } from './index.js';

/** ClickHouse's reading of an escaped field, written out independently for the test. */
function unescape(s: string): string {
  const map: Record<string, string> = { '\\': '\\', t: '\t', n: '\n', r: '\r', '0': '\0', b: '\b', f: '\f' };
  return s.replace(/\\(.)/gs, (_, c: string) => map[c] ?? `\\${c}`);
}

describe('escapeTsv', () => {
  it('round-trips any string and leaves no raw tab, newline, CR or NUL', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const e = escapeTsv(s);
        expect(e).not.toMatch(/[\t\n\r\0]/);
        expect(unescape(e)).toBe(s);
        expect(isTsvPlain(s)).toBe(e === s);
      }),
    );
  });
});

describe('names that reach SQL or key patterns', () => {
  it('rejects anything but plain identifiers', () => {
    for (const bad of ['', '1a', 'a-b', 'a`b', 'a b', "a'", 'x'.repeat(129)]) expect(() => sqlIdentifier('T', bad)).toThrow(/^T: /);
    expect(sqlIdentifier('T', 'idgate_r1')).toBe('`idgate_r1`');
    for (const bad of ['', 'A', 'a*', 'a:b', 'a{b}', '_a', 'x'.repeat(49)]) expect(() => validateRunId('T', bad)).toThrow(/^T: run ID/);
  });
});
