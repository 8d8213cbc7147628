import { describe, expect, it } from 'vitest';
import { DEFAULT_DOMAIN_NAMES, UsageError } from '../model/index.js';
import { compileCatalog, extendCatalog } from './domain-catalog.js';
import { DEFAULT_CATALOG, defaultCatalog } from './default-catalog.js';
import { defineDomain } from './domain-spec.js';
import { literal, random, userTag } from './field.js';

describe('the default catalog', () => {
  const catalog = defaultCatalog();

  it('defines the 15 default domains in order, each with at least 96 random bits', () => {
    expect(catalog.domains).toEqual([...DEFAULT_DOMAIN_NAMES]);
    for (const d of catalog.domains) {
      const bits = catalog.codec(d).spec.fields.reduce((n, f) => n + (f.kind === 'random' ? f.bits : 0), 0);
      expect(bits, d).toBeGreaterThanOrEqual(96);
    }
  });

  it('relates run → thread, request → run, ws_client ↔ ws_conn, and tags session, ws and agent IDs with the user', () => {
    const rel = catalog.relations.map((r) => `${r.from} ${r.kind} ${r.to}`);
    expect(rel).toEqual(
      expect.arrayContaining([
        'run embeds thread',
        'request embeds run',
        'ws_client paired ws_conn',
        'ws_conn paired ws_client',
        'session tagged user',
        'ws_conn tagged user',
        'ws_client tagged user',
        'agent_exec tagged user',
      ]),
    );
  });
});

describe('extendCatalog', () => {
  it('adds new domains and overrides a default one in place', () => {
    const def = extendCatalog(DEFAULT_CATALOG, {
      domains: [defineDomain('invoice', [literal('inv'), random()]), defineDomain('user', [literal('u'), userTag({ name: 'tenant', length: 4 }), random()])],
      pairs: [{ a: 'ws_conn', b: 'ws_client' }],
    });
    const catalog = compileCatalog(def);
    expect(catalog.domains.at(-1)).toBe('invoice');
    expect(catalog.domains.indexOf('user')).toBe(0);
    expect(catalog.codec('user').test(`u_abcd_${'0'.repeat(24)}`)).toBe(true);
    expect(def.pairs).toHaveLength(1);
  });

  it('lets a catalog look up only the domains it defines', () => {
    expect(() => defaultCatalog().codec('invoice')).toThrow(UsageError);
    expect(() => defaultCatalog().codec('invoice')).toThrow(/^DomainCatalog\.codec: no domain "invoice"[\s\S]*extendCatalog/);
  });
});
