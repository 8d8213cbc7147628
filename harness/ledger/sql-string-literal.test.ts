import fc from 'fast-check';
import { createClient } from '@clickhouse/client';
import { describe, expect, inject, it } from 'vitest';
import { sqlStringLiteral } from './sql-string-literal.js';

describe('sqlStringLiteral', () => {
  it('round-trips any printable-ASCII text (what spec regexes are made of) through real ClickHouse', async () => {
    const client = createClient({ url: inject('stores').clickhouseUrl, keep_alive: { enabled: false } });
    try {
      await fc.assert(
        fc.asyncProperty(fc.string({ unit: fc.constantFrom(...'\\\'"`$^[]{}()?*+|.-_ azAZ09'.split('')), maxLength: 40 }), async (text) => {
          const rs = await client.query({ query: `SELECT ${sqlStringLiteral('test', text)} AS s`, format: 'JSONEachRow' });
          const [row] = await rs.json<{ s: string }>();
          expect(row?.s).toBe(text);
        }),
        { numRuns: 100 },
      );
    } finally {
      await client.close();
    }
  });

  it('escapes quote and backslash so nothing ends the literal early', () => {
    expect(sqlStringLiteral('test', "a'b\\c")).toBe("'a\\'b\\\\c'");
  });

  it('refuses anything but printable ASCII, naming the caller', () => {
    for (const bad of ['tab\there', 'nl\n', 'ü', '\u0000']) expect(() => sqlStringLiteral('scan', bad)).toThrow(/^scan: .* is not printable ASCII/);
  });
});
