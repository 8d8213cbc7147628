import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../model/index.js';
import { escapeRe2, re2CharClass } from './escape-re2.js';
import { assertRe2Subset } from './re2-subset.test-helper.js';

const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 40 });
const ALL_PRINTABLE = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i));

describe('escapeRe2', () => {
  it('matches exactly the escaped text, in JavaScript with and without the u flag', () => {
    fc.assert(
      fc.property(printable, printable, (text, other) => {
        const source = `^${escapeRe2(text)}$`;
        for (const flags of ['', 'u']) {
          const re = new RegExp(source, flags);
          expect(re.test(text)).toBe(true);
          expect(re.test(other)).toBe(other === text);
        }
      }),
    );
  });

  it('writes only constructs RE2 accepts (never a backslash before a word character)', () => {
    fc.assert(
      fc.property(printable, (text) => {
        assertRe2Subset(`^${escapeRe2(text)}$`);
        if (text.length > 0) assertRe2Subset(`[${escapeRe2(text, 'class')}]`);
      }),
    );
  });

  it('leaves `_` and letters alone and escapes metacharacters', () => {
    expect(escapeRe2('a_b')).toBe('a_b');
    expect(escapeRe2('a.b*c')).toBe('a\\.b\\*c');
    expect(escapeRe2('x-y')).toBe('x-y');
    expect(escapeRe2('x-y]^', 'class')).toBe('x\\-y\\]\\^');
  });

  it('rejects characters outside printable ASCII with a message naming the API and a remedy', () => {
    fc.assert(
      fc.property(printable, fc.oneof(fc.integer({ min: 0, max: 0x1f }), fc.integer({ min: 0x7f, max: 0xffff })), (text, code) => {
        const bad = text + String.fromCharCode(code);
        expect(() => escapeRe2(bad)).toThrow(UsageError);
        expect(() => escapeRe2(bad)).toThrow(/^escapeRe2: [\s\S]*printable ASCII/);
      }),
    );
  });
});

describe('re2CharClass', () => {
  it('matches each character of the alphabet and no other printable character', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...ALL_PRINTABLE), minLength: 1, maxLength: 30 }), (alphabet) => {
        const cls = re2CharClass(alphabet);
        assertRe2Subset(cls);
        for (const flags of ['', 'u']) {
          const re = new RegExp(`^${cls}$`, flags);
          for (const c of ALL_PRINTABLE) expect(re.test(c)).toBe(alphabet.includes(c));
        }
      }),
    );
  });

  it('writes runs as ranges', () => {
    expect(re2CharClass('0123456789abcdef')).toBe('[0-9a-f]');
    expect(re2CharClass('ab_')).toBe('[_ab]');
  });
});
