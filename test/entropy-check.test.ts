import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHECKS, entropyCheck, entropyRowsOf, toCheckedBatch, type EntropyRow } from '../harness/checks/index.js';
import { createIdBatch, type Finding } from '../harness/model/index.js';
import { defaultCatalog } from '../harness/spec/index.js';
import { resolveProfile } from '../harness/workload/index.js';

const catalog = defaultCatalog();

function context(overrides: { sampleSize?: number; threshold?: number; maxObservedPerDomain?: number } = {}) {
  return { catalog, users: ['u0', 'u1'], extractionRules: [], maxExamples: 5, entropy: overrides };
}

/** Runs the entropy check over `ids` of `domain`, in batches of 1,000. */
function run(domain: string, ids: readonly string[], overrides: { sampleSize?: number; threshold?: number; maxObservedPerDomain?: number } = {}) {
  const check = entropyCheck(context(overrides));
  for (let at = 0, b = 0; at < ids.length; at += 1000, b++) {
    const batch = createIdBatch({ batchId: `b${b}`, domain, ids: ids.slice(at, at + 1000), owners: b % 2 });
    check.observe(toCheckedBatch({ batch, target: 'test' }, catalog));
  }
  return { check, findings: check.findings(), table: check.table() };
}

/** `n` user IDs whose 24-hex random field holds `bits` random bits (the rest zero-padded). */
function userIds(n: number, bits: number): string[] {
  const chars = bits / 4;
  const hex = randomBytes(Math.ceil((n * chars) / 2)).toString('hex');
  return Array.from({ length: n }, (_, i) => `user_${hex.slice(i * chars, (i + 1) * chars).padStart(24, '0')}`);
}

function row(table: readonly EntropyRow[], layout = 'spec'): EntropyRow {
  const r = table.find((x) => x.layout === layout);
  expect(r, `a ${layout} row`).toBeDefined();
  return r!;
}

describe('entropy check', () => {
  it('is registered as `entropy`', () => {
    expect(CHECKS.get('entropy')).toBe(entropyCheck);
  });

  it('passes 96 random bits and reports estimated, claimed and needed bits in its table', () => {
    const { findings, table } = run('user', userIds(20_000, 96));
    expect(findings).toEqual([]);
    const r = row(table);
    expect(r.claimedBits).toBe(96);
    expect(r.estimatedBits).toBeGreaterThan(95);
    expect(r.upperBits).toBeGreaterThanOrEqual(r.bitsNeeded);
    expect(r.bitsNeeded).toBeCloseTo(95.75, 2);
    expect(r.failed).toBe(false);
  });

  it('fails too few random bits with a finding that prints the estimate, the bits needed and the volume at risk', () => {
    fc.assert(
      fc.property(fc.constantFrom(16, 32, 48, 64, 80), (bits) => {
        const { findings } = run('user', userIds(5_000, bits));
        expect(findings.map((f: Finding) => [f.kind, f.domain, f.rule])).toEqual([['entropy', 'user', 'spec-fields']]);
        const [r] = entropyRowsOf(findings);
        expect(Math.abs(r!.estimatedBits - bits)).toBeLessThan(1);
        expect(r!.claimedBits).toBe(96);
        expect(findings[0]!.message).toMatch(/bits of min-entropy .* 95\.75 are needed .* risk is reached after/);
        expect(findings[0]!.ids.length).toBeGreaterThan(0);
      }),
      { numRuns: 5 },
    );
  });

  it('projects with the configured threshold: 80 bits pass at 10⁻² over 10⁹/day for a year', () => {
    expect(run('user', userIds(5_000, 80), { threshold: 0.5 }).findings).toEqual([]);
  });

  it('estimates IDs that do not parse by their trailing token', () => {
    const hex = randomBytes(5_000 * 4).toString('hex');
    const ids = Array.from({ length: 5_000 }, (_, i) => `thread_chat_${i + 1}_${hex.slice(i * 8, i * 8 + 8)}`);
    const { findings, table } = run('thread', ids);
    const r = row(table, 'token:8');
    expect(Math.abs(r.estimatedBits - 32)).toBeLessThan(1);
    expect(r.claimedBits).toBeUndefined();
    expect(findings.map((f) => f.rule)).toEqual(['trailing-token']);
  });

  it('looks at no more than maxObservedPerDomain IDs of a domain, and still catches a weak field', () => {
    const { table, findings } = run('user', userIds(5_000, 16), { sampleSize: 1_000, maxObservedPerDomain: 2_500 });
    expect(row(table).ids).toBe(2_500);
    expect(findings.map((f) => f.kind)).toContain('entropy');
  });

  it('keeps at most sampleSize values, and the same IDs give the same table', () => {
    const ids = userIds(5_000, 96);
    const a = run('user', ids, { sampleSize: 1_000 });
    const b = run('user', ids, { sampleSize: 1_000 });
    const details = row(a.table).details.random!;
    expect(details.values).toBe(5_000);
    expect(details.sampled).toBe(1_000);
    expect(JSON.stringify(a.table)).toBe(JSON.stringify(b.table));
  });

  it('rejects bad options and bad profile fields, saying what to do', () => {
    expect(() => entropyCheck(context({ threshold: 2 }))).toThrow(/^entropyCheck: .*use volumePerDay > 0/);
    expect(() => resolveProfile('ci', { entropyThreshold: 0 })).toThrow(/resolveProfile: .*entropyThreshold/);
    expect(() => resolveProfile('ci', { entropyDays: -1 })).toThrow(/resolveProfile: .*entropyDays/);
    expect(resolveProfile('ci')).toMatchObject({ entropyVolumePerDay: 1e9, entropyDays: 365, entropyThreshold: 1e-6 });
  });
});
