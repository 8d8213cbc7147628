import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { baselineOf, compareBaseline } from './audit-baseline.js';
import { normalizeCall } from './audit-fingerprint.js';
import { scanSource } from './scan-source.js';

const SRC = "import { v4 } from 'uuid';\nexport const a = v4();\nexport const b = v4();\n";

describe('baseline ratchet', () => {
  it('passes known findings, fails new ones, lists fixed ones', async () => {
    const before = await scanSource(SRC, 'a.ts', 'typescript');
    const baseline = baselineOf(before);
    const after = await scanSource(`${SRC}export const c = crypto.randomUUID();\n`.replace('export const a = v4();\n', ''), 'a.ts', 'typescript');
    const cmp = compareBaseline(after, baseline);
    expect(cmp.added.map((h) => h.call)).toEqual(['crypto.randomUUID()']);
    // Two identical calls become one: the second occurrence is the one reported fixed.
    expect(cmp.known).toHaveLength(1);
    expect(cmp.fixed).toHaveLength(1);
  });

  it('fingerprints survive unrelated edits: lines added above, re-indentation', async () => {
    const base = (await scanSource(SRC, 'a.ts', 'typescript')).map((h) => h.fingerprint);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom('// note', 'const z = 1;', '', 'function f() {}'), { maxLength: 20 }), fc.nat(8), async (lines, indent) => {
        const edited = `${lines.join('\n')}\n${SRC.split('\n').map((l) => ' '.repeat(indent) + l).join('\n')}`;
        const now = (await scanSource(edited, 'a.ts', 'typescript')).map((h) => h.fingerprint);
        expect(now).toEqual(base);
      }),
      { numRuns: 30 },
    );
  });

  it('normalizes whitespace inside a call', () => {
    expect(normalizeCall(' uuid.uuid4(\n    )\t')).toBe('uuid.uuid4( )');
  });
});
