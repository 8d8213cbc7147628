import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createIdBatch, exitCodeFor, ExitCode, UsageError, type IdBatch } from '../model/index.js';
import { compareIds, MemoryLedger, type DomainTally } from './index.js';

/** The obvious, slow answer: a Map of every ID to its per-domain counts and owners. */
function oracle(batches: readonly IdBatch[]): DomainTally[] {
  const seen = new Set<string>();
  const appended = new Map<string, number>();
  const ids = new Map<string, Map<string, { count: number; owners: Set<number> }>>();
  for (const b of batches) {
    if (seen.has(b.batchId)) continue;
    seen.add(b.batchId);
    appended.set(b.domain, (appended.get(b.domain) ?? 0) + b.ids.length);
    b.ids.forEach((id, i) => {
      const per = ids.get(id) ?? new Map<string, { count: number; owners: Set<number> }>();
      ids.set(id, per);
      const s = per.get(b.domain) ?? { count: 0, owners: new Set<number>() };
      per.set(b.domain, s);
      s.count++;
      s.owners.add(b.owners[i]!);
    });
  }
  return [...appended.keys()].sort(compareIds).map((domain) => {
    let distinct = 0;
    let duplicateIds = 0;
    let crossDomainIds = 0;
    let multiOwnerIds = 0;
    for (const per of ids.values()) {
      const s = per.get(domain);
      if (s === undefined) continue;
      distinct++;
      if (s.count > 1) duplicateIds++;
      if (per.size > 1) crossDomainIds++;
      if (s.owners.size > 1) multiOwnerIds++;
    }
    const n = appended.get(domain)!;
    return { domain, appended: n, stored: n, distinct, duplicateIds, crossDomainIds, multiOwnerIds };
  });
}

// Small alphabets and pools so that duplicates, cross-domain reuse and shared owners happen.
const idArb = fc.oneof(
  fc.constantFrom('', 'a', 'b', 'run_1', 'ü', '😀', '\u0000', 'x\ty', 'dup'),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: fc.constantFrom('a', 'b', '_'), maxLength: 4 }),
);
const batchArb = fc.record({
  batchId: fc.constantFrom('b0', 'b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'b7', 'b8', 'b9'),
  domain: fc.constantFrom('run', 'thread', 'session'),
  rows: fc.array(fc.tuple(idArb, fc.nat({ max: 3 })), { maxLength: 60 }),
});

describe('MemoryLedger', () => {
  it('answers exactly what a plain Map answers, for any sequence of batches', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(batchArb, { maxLength: 12 }), async (raw) => {
        const batches = raw.map((r) => createIdBatch({ batchId: r.batchId, domain: r.domain, ids: r.rows.map(([id]) => id), owners: r.rows.map(([, o]) => o) }));
        const ledger = new MemoryLedger({ maxExamples: 1_000_000 });
        try {
          for (const b of batches) await ledger.append(b);
          const verdict = await ledger.verify();
          expect(verdict.domains).toEqual(oracle(batches));
          // Every example really is repeated, and the list is in UTF-8 byte order.
          const extra = verdict.domains.reduce((s, t) => s + t.appended - t.distinct, 0);
          const examples = verdict.duplicates.reduce((s, e) => s + e.counts.reduce((a, c) => a + c - 1, 0), 0);
          expect(examples).toBe(extra);
          expect(verdict.duplicates.map((e) => e.id)).toEqual(verdict.duplicates.map((e) => e.id).sort(compareIds));
        } finally {
          await ledger.close();
        }
      }),
      { numRuns: 200 },
    );
  });

  it('finds a duplicate whose first occurrence is many batches back, on disk', async () => {
    const ledger = new MemoryLedger();
    try {
      for (let b = 0; b < 30; b++) {
        const ids = Array.from({ length: 5000 }, (_, i) => `thread_${b}_${i}`);
        if (b === 29) ids[4999] = 'thread_0_17';
        await ledger.append(createIdBatch({ batchId: `b${b}`, domain: 'thread', ids, owners: b === 29 ? 9 : 1 }));
      }
      const v = await ledger.verify();
      expect(v.duplicates).toEqual([{ id: 'thread_0_17', domains: ['thread'], counts: [2], occurrences: 2, owners: [1, 9], multiOwnerDomains: ['thread'] }]);
      expect(v.findings.map((f) => [f.kind, f.domain])).toEqual([
        ['duplicate', 'thread'],
        ['multi-owner', 'thread'],
      ]);
      expect(exitCodeFor(v.findings)).toBe(ExitCode.Findings);
    } finally {
      await ledger.close();
    }
  });

  it('counts a batch once when it is appended again (resumed run)', async () => {
    const ledger = new MemoryLedger();
    const b = createIdBatch({ batchId: 'same', domain: 'run', ids: ['r1', 'r2'], owners: 0 });
    await ledger.append(b);
    await ledger.append(b);
    const v = await ledger.verify();
    await ledger.close();
    expect(v.domains).toEqual([{ domain: 'run', appended: 2, stored: 2, distinct: 2, duplicateIds: 0, crossDomainIds: 0, multiOwnerIds: 0 }]);
    expect(v.findings).toEqual([]);
  });

  it('rejects an ID with a lone surrogate even in a batch that skipped createIdBatch, storing nothing of it', async () => {
    const ok = createIdBatch({ batchId: 'b', domain: 'run', ids: ['ü', 'x'], owners: 0 });
    const tampered: IdBatch = { ...ok, ids: ['ü', 'bad\udc00'] };
    const ledger = new MemoryLedger();
    await expect(ledger.append(tampered)).rejects.toThrow(/batch "b" of domain "run", position 1/);
    await ledger.append(ok);
    const v = await ledger.verify();
    await ledger.close();
    expect(v.domains[0]?.appended).toBe(2);
  });

  it('refuses appends and flushes after close, as the store ledgers do', async () => {
    const ledger = new MemoryLedger();
    await ledger.flush();
    await ledger.close();
    await expect(ledger.append(createIdBatch({ batchId: 'x', domain: 'run', ids: ['a'], owners: 0 }))).rejects.toThrow(UsageError);
    await expect(ledger.flush()).rejects.toThrow(/MemoryLedger\.flush: the ledger is closed/);
  });
});
