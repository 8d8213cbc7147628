import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../model/index.js';
import { compileCatalog, type CatalogDefinition, type DomainCatalog } from './domain-catalog.js';
import { defineDomain } from './domain-spec.js';
import { defaultCatalog } from './default-catalog.js';
import { counter, literal, opSlug, parent, random, timestampMs, userTag } from './field.js';
import { fieldValuesArbitrary } from './field-values-arbitrary.js';
import { assertRe2Subset } from './re2-subset.test-helper.js';

// Specs chosen to stress the parser: a literal holding the separator, the variable field first
// and last, a `-` separator, nested parents whose op holds the separator, counters.
const TRICKY: CatalogDefinition = {
  domains: [
    defineDomain('op_first', [opSlug({ alphabet: 'ab_', maxLength: 8 }), literal('x_y', 'mid'), random({ length: 4, bits: 16 })]),
    defineDomain('op_last', [literal('p'), counter({ maxDigits: 3 }), opSlug({ alphabet: 'a_', maxLength: 6 })]),
    defineDomain('dash', [literal('d'), opSlug({ alphabet: 'ab-', maxLength: 5 }), timestampMs({ digits: 4 })], { separator: '-' }),
    defineDomain('thr', [literal('thr'), opSlug({ alphabet: 'a_', maxLength: 5 }), random({ length: 2, bits: 8 })]),
    defineDomain('rn', [literal('rn'), parent('thr'), userTag({ length: 3 }), random({ length: 2, bits: 8 })]),
    defineDomain('rq', [literal('rq'), parent('rn', 'run'), counter({ maxDigits: 1 })]),
    defineDomain('closed', [literal('c'), userTag({ length: 2 }), counter({ maxDigits: 2 })]),
  ],
};

const catalogs: [string, DomainCatalog][] = [
  ['default', defaultCatalog()],
  ['tricky', compileCatalog(TRICKY)],
];

// Candidate IDs near the valid ones: valid IDs with characters inserted, deleted or replaced,
// drawn from an alphabet that includes separators, hex, upper case and metacharacters.
function nearIds(catalog: DomainCatalog, domain: string): fc.Arbitrary<string> {
  const codec = catalog.codec(domain);
  const valid = fieldValuesArbitrary(codec, catalog.codec).map((v) => codec.format(v));
  const noise = fc.constantFrom('_', '-', '0', '9', 'a', 'f', 'F', 'x', '.', ' ', 'ü', ...codec.spec.separator);
  const edit = fc.tuple(fc.nat(), fc.nat({ max: 2 }), noise);
  return fc.tuple(valid, fc.array(edit, { maxLength: 3 })).map(([id, edits]) => {
    let s = id;
    for (const [at, op, c] of edits) {
      const i = at % (s.length + 1);
      s = op === 0 ? s.slice(0, i) + c + s.slice(i) : op === 1 ? s.slice(0, i) + s.slice(i + 1) : s.slice(0, i) + c + s.slice(i + 1);
    }
    return s;
  });
}

describe.each(catalogs)('DomainCodec over the %s catalog', (_name, catalog) => {
  describe.each(catalog.domains.map((d) => [d]))('%s', (domain) => {
    const codec = catalog.codec(domain);

    it('parses what it formats back to the same fields, and formats what it parses back to the same ID', () => {
      fc.assert(
        fc.property(fieldValuesArbitrary(codec, catalog.codec), (fields) => {
          const id = codec.format(fields);
          const parsed = codec.parse(id);
          if (!parsed.ok) throw new Error(parsed.error.message);
          expect(parsed.value.fields).toEqual(fields);
          expect(codec.format(parsed.value.fields)).toBe(id);
          expect(codec.test(id)).toBe(true);
        }),
      );
    });

    it('accepts exactly what its regex matches, in JavaScript with and without the u flag', () => {
      assertRe2Subset(codec.regex);
      const plain = new RegExp(codec.regex);
      const unicode = new RegExp(codec.regex, 'u');
      fc.assert(
        fc.property(nearIds(catalog, domain), (id) => {
          const parsed = codec.parse(id);
          expect(plain.test(id)).toBe(parsed.ok);
          expect(unicode.test(id)).toBe(parsed.ok);
          if (parsed.ok) expect(codec.format(parsed.value.fields)).toBe(id);
          else expect(parsed.error.message).toMatch(new RegExp(`^parse\\(${domain}\\): field "[\\w.]+" `));
        }),
      );
    });

    it('field() reads what parse() reads, and nothing from an ID that does not parse', () => {
      fc.assert(
        fc.property(nearIds(catalog, domain), (id) => {
          const parsed = codec.parse(id);
          for (const f of codec.spec.fields) expect(codec.field(id, f.name)).toBe(parsed.ok ? parsed.value.fields[f.name] : undefined);
        }),
      );
      expect(() => codec.field('x', 'no_such_field')).toThrow(/has no field "no_such_field"/);
    });
  });
});

describe('DomainCodec errors', () => {
  const catalog = defaultCatalog();
  const hex = (n: number) => 'a'.repeat(n);

  it('names the field of an embedded parent as a dotted path', () => {
    const run = catalog.codec('run');
    const r = run.parse(`run_thread_My_op_${hex(24)}_${hex(24)}`);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.field).toBe('thread.op');
    const ok = run.parse(`run_thread_my__op_${hex(24)}_${hex(24)}`);
    expect(ok.ok && ok.value.parents.thread?.fields.op).toBe('my__op');
  });

  it('names the missing or malformed field', () => {
    const session = catalog.codec('session');
    const cases: [string, string][] = [
      ['sess_x', 'prefix'],
      ['session', 'user'],
      [`session_${hex(20)}`, 'random'],
      [`session_${hex(20)}_${hex(23)}`, 'random'],
      [`session_${hex(20)}_${hex(12)}_${hex(12)}`, 'random'],
      [`session_${'A'.repeat(20)}_${hex(24)}`, 'user'],
    ];
    for (const [id, field] of cases) {
      const r = session.parse(id);
      expect(r.ok ? 'ok' : r.error.field, id).toBe(field);
    }
  });

  it('format rejects the separator in a field that forbids it, naming the field and a remedy', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'b', '_'), minLength: 1, maxLength: 20 }).filter((s) => s.includes('_')), (value) => {
        const session = catalog.codec('session');
        const call = () => session.format({ user: value, random: hex(24) });
        expect(call).toThrow(UsageError);
        expect(call).toThrow(/^DomainCodec\.format\(session\): field "user" [\s\S]*→ pass a value/);
      }),
    );
  });

  it('format requires every non-literal field', () => {
    expect(() => catalog.codec('user').format({})).toThrow(/field "random" has no value/);
  });
});

describe('compileDomain and compileCatalog reject what cannot parse unambiguously', () => {
  it('rejects two fields that may both hold the separator, naming both', () => {
    const def: CatalogDefinition = { domains: [defineDomain('two', [literal('t'), opSlug({ name: 'a' }), opSlug({ name: 'b' })])] };
    expect(() => compileCatalog(def)).toThrow(/fields "a" and "b" may both hold the separator/);
  });

  it('rejects an op next to a parent that holds the separator', () => {
    const def: CatalogDefinition = {
      domains: [defineDomain('thread', [literal('thread'), opSlug(), random()]), defineDomain('run', [literal('run'), parent('thread'), opSlug()])],
    };
    expect(() => compileCatalog(def)).toThrow(/fields "thread" and "op"/);
  });

  it.each([
    ['a random alphabet holding the separator', [random({ alphabet: 'ab_', length: 4, bits: 4 })], /holds the separator/],
    ['more claimed bits than the field holds', [random({ length: 4, bits: 17 })], /claims 17 bits/],
    ['an empty alphabet', [userTag({ alphabet: '' })], /alphabet is empty/],
    ['a non-ASCII alphabet', [userTag({ alphabet: 'aü' })], /escapeRe2/],
    ['duplicate field names', [literal('a', 'x'), random({ name: 'x' })], /used twice/],
  ])('rejects %s', (_what, fields, message) => {
    expect(() => compileCatalog({ domains: [defineDomain('bad', fields)] })).toThrow(message);
  });

  it('rejects a multi-character separator, an unknown parent, a cycle and a duplicate domain', () => {
    expect(() => compileCatalog({ domains: [defineDomain('a', [random()], { separator: '__' })] })).toThrow(/separator/);
    expect(() => compileCatalog({ domains: [defineDomain('a', [parent('nope')])] })).toThrow(/does not define/);
    expect(() => compileCatalog({ domains: [defineDomain('a', [parent('b')]), defineDomain('b', [parent('a')])] })).toThrow(/cycle/);
    expect(() => compileCatalog({ domains: [defineDomain('a', [random()]), defineDomain('a', [random()])] })).toThrow(/defined twice/);
  });
});
