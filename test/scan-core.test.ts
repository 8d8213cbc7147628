import { createClient, ClickHouseLogLevel } from '@clickhouse/client';
import fc from 'fast-check';
import { describe, expect, inject, it } from 'vitest';
import { IdLocator, keySpaceOf, ownerOf, parseClusterNodes, parseOwnerSource, SeenIds, sqlStringLiteral } from '../harness/scan/index.js';
import { defaultCatalog, fieldValuesArbitrary } from '../harness/spec/index.js';

const catalog = defaultCatalog();
const locator = new IdLocator(catalog);
const anyId = fc.constantFrom(...catalog.domains).chain((d) => fieldValuesArbitrary(catalog.codec(d), catalog.codec).map((fields) => ({ domain: d, id: catalog.codec(d).format(fields) })));

describe('IdLocator', () => {
  it('finds a valid ID whole, under its own domain, wherever it sits in a key or a JSON value', () => {
    fc.assert(
      fc.property(anyId, fc.constantFrom('k:%:v', '%', '{"a":"%","b":[1]}', 'x %,y', '%:meta'), ({ domain, id }, shape) => {
        const found = locator.locate(shape.replace('%', id));
        if (!/[0-9]/.test(id)) return expect(found).toEqual([]);
        expect(found.map((l) => [l.domain, l.id, l.parsed.ok])).toEqual([[domain, id, true]]);
      }),
    );
  });

  it('reports a malformed candidate as not parsing, and leaves words without digits alone', () => {
    const [bad] = locator.locate('user:x:session:session_ABCDEF0123456789ABCD_0123456789abcdef01234567');
    expect(bad?.domain).toBe('session');
    expect(bad?.parsed.ok).toBe(false);
    expect(locator.locate('{"user_agent":"Mozilla","type":"user_created"}')).toEqual([]);
  });

  it('with domains, locates only those, and refuses a domain it cannot locate', () => {
    const only = new IdLocator(catalog, { domains: ['run'] });
    expect(only.domains).toEqual(['run']);
    expect(() => new IdLocator(catalog, { domains: ['nope'] })).toThrow(/no domain "nope"/);
  });
});

describe('owner sources and key spaces', () => {
  it('reads key parts (negative from the end), hash fields and JSON paths', () => {
    expect(ownerOf(parseOwnerSource('key:1'), { key: 'user:u1:session:s' })).toBe('u1');
    expect(ownerOf(parseOwnerSource('key:-1'), { key: 'a:b:u9' })).toBe('u9');
    expect(ownerOf(parseOwnerSource('field:owner'), { key: 'k', hash: new Map([['owner', 'u2']]) })).toBe('u2');
    expect(ownerOf(parseOwnerSource('json:$.meta.owner'), { key: 'k', text: '{"meta":{"owner":"u3"}}' })).toBe('u3');
    expect(ownerOf(parseOwnerSource('json:owner'), { key: 'k', text: 'not json' })).toBeUndefined();
    for (const bad of ['', 'key', 'key:x', 'field:', 'json:$', 'owner:1']) expect(() => parseOwnerSource(bad), bad).toThrow(/^idgate scan redis: --owner-from .* → write e\.g\./s);
  });

  it('masks IDs and the owner part, so two users\' copies of one ID share a key space', () => {
    const id = catalog.codec('thread').format({ op: 'chat', random: '0123456789abcdef01234567' });
    const own = parseOwnerSource('key:1');
    const a = keySpaceOf(`user:u1:thread:${id}`, locator.locate(`user:u1:thread:${id}`), own);
    expect(a).toBe('user:<owner>:thread:<thread>');
    expect(keySpaceOf(`user:u2:thread:${id}`, locator.locate(id), own)).toBe(a);
    expect(keySpaceOf(`user:u2:thread:${id}:meta`, locator.locate(id), own)).not.toBe(a);
  });
});

/** The regex tokenizer the hand-written one replaced, as an oracle. */
function locateByRegex(text: string): [string, string][] {
  const chars = new Set('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_');
  const cls = [...chars].map((c) => (/[A-Za-z0-9]/.test(c) ? c : `\\${c}`)).join('');
  const out: [string, string][] = [];
  for (const m of text.matchAll(new RegExp(`[${cls}]+`, 'g'))) {
    const codec = locator.domainOf(m[0]);
    if (codec !== undefined) out.push([codec.domain, m[0]]);
  }
  return out;
}

/** The split/join key space the string-walking one replaced, as an oracle. */
function keySpaceBySplit(key: string, inName: readonly { id: string; domain: string }[], index: number): string {
  let parts = key.split(':');
  const i = index < 0 ? parts.length + index : index;
  if (i >= 0 && i < parts.length) parts = parts.map((p, j) => (j === i ? '<owner>' : p));
  let space = parts.join(':');
  for (const l of [...inName].sort((a, b) => b.id.length - a.id.length)) space = space.split(l.id).join(`<${l.domain}>`);
  return space;
}

describe('the scan hot path agrees with its simple forms', () => {
  const piece = fc.oneof(anyId.map((x) => x.id), fc.constantFrom(':', '_', 'user_', 'session_', ' ', '"', '{', 'é', '9', 'user_agent'), fc.string({ maxLength: 6 }));
  const text = fc.array(piece, { maxLength: 8 }).map((p) => p.join(''));

  it('IdLocator.locate finds what the regex tokenizer finds', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(locator.locate(t).map((l) => [l.domain, l.id])).toEqual(locateByRegex(t));
      }),
      { numRuns: 2000 },
    );
  });

  it('SeenIds gives each distinct string one slot, in order of first sight, across table growth', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ maxLength: 4 }), anyId.map((x) => x.id)), { minLength: 1200, maxLength: 3000 }), (strings) => {
        const seen = new SeenIds();
        const ref = new Map<string, number>();
        for (const s of strings) {
          const slot = seen.slotFor(s, `k:${s}`);
          expect(seen.added).toBe(!ref.has(s));
          if (!ref.has(s)) ref.set(s, ref.size);
          expect(slot).toBe(ref.get(s));
          expect(seen.key(slot)).toBe(`k:${s}`);
        }
        expect(seen.size).toBe(ref.size);
      }),
      { numRuns: 30 },
    );
  });

  it('keySpaceOf masks what split/join masks, for every owner part index', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: -6, max: 6 }), (key, index) => {
        const inName = locator.locate(key);
        expect(keySpaceOf(key, inName, { kind: 'key', index })).toBe(keySpaceBySplit(key, inName, index));
      }),
      { numRuns: 2000 },
    );
  });

  it('ownerOf key:<i> reads the part split/at reads, for every index', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z:]{0,12}$/), fc.integer({ min: -6, max: 6 }), (key, index) => {
        const part = key.split(':').at(index);
        expect(ownerOf({ kind: 'key', index }, { key })).toBe(part === '' ? undefined : part);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('cluster topology', () => {
  it('keeps live masters only, each once', () => {
    const text = [
      'a1 127.0.0.1:7000@17000 myself,master - 0 0 1 connected 0-5460',
      'b2 127.0.0.1:7001@17001,host-b master - 0 0 2 connected 5461-10922',
      'c3 127.0.0.1:7002@17002 master,fail - 0 0 3 disconnected',
      'd4 127.0.0.1:7003@17003 slave a1 0 0 1 connected',
      'e5 ::1:7004@17004 master - 0 0 4 connected 10923-16383',
      '',
    ].join('\n');
    expect(parseClusterNodes(text)).toEqual(['127.0.0.1:7000', '127.0.0.1:7001', '[::1]:7004']);
  });
});

describe('sqlStringLiteral', () => {
  it('ClickHouse reads back exactly the printable ASCII it was given', async () => {
    const client = createClient({ url: inject('stores').clickhouseUrl, compression: { request: false, response: false }, log: { level: ClickHouseLogLevel.OFF } });
    try {
      await fc.assert(
        fc.asyncProperty(fc.string({ unit: fc.constantFrom(...'\\\'"`?{}$^[]().*+|-_ aZ09:;'), maxLength: 40 }), async (s) => {
          const rs = await client.query({ query: `SELECT ${sqlStringLiteral('test', s)} AS s`, format: 'JSONEachRow' });
          expect(await rs.json()).toEqual([{ s }]);
        }),
        { numRuns: 40 },
      );
    } finally {
      await client.close();
    }
    expect(() => sqlStringLiteral('idgate scan clickhouse', 'tab\there')).toThrow(/^idgate scan clickhouse: .*not printable ASCII/);
  });

  it('every default domain regex survives the trip into match()', async () => {
    // A test only: the scan itself never puts an ID into SQL text.
    const client = createClient({ url: inject('stores').clickhouseUrl, compression: { request: false, response: false }, log: { level: ClickHouseLogLevel.OFF } });
    try {
      const selects = catalog.domains.map((d) => `match(${sqlStringLiteral('test', catalog.codec(d).format({ ...fc.sample(fieldValuesArbitrary(catalog.codec(d), catalog.codec), { numRuns: 1, seed: 7 })[0]! }))}, ${sqlStringLiteral('test', catalog.codec(d).regex)}) AS ${d}`);
      const rs = await client.query({ query: `SELECT ${selects.join(', ')}`, format: 'JSONEachRow' });
      const [row] = await rs.json<Record<string, number>>();
      expect(Object.values(row!).every((v) => v === 1)).toBe(true);
      expect(Object.keys(row!)).toHaveLength(catalog.domains.length);
    } finally {
      await client.close();
    }
  });
});
