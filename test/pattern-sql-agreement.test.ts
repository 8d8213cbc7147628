import fc from 'fast-check';
import { describe, expect, inject, it } from 'vitest';
import { clickhousePatternCounts, patternAgreementFindings, patternCheck, toCheckedBatch } from '../harness/checks/index.js';
import { ClickHouseLedger } from '../harness/ledger/index.js';
import { createIdBatch } from '../harness/model/index.js';
import { defaultCatalog } from '../harness/spec/index.js';
import { createTarget } from '../fixtures/reference/index.js';

// DESIGN.md: the memory path and ClickHouse both answer "does every ID parse under its spec";
// they must agree. The memory side parses with the spec's codec; ClickHouse runs match() with
// the spec's regex through RE2. Mutated reference IDs probe the edges of every domain's layout.
const catalog = defaultCatalog();
const DOMAINS = ['thread', 'run', 'request', 'message', 'audit', 'transaction', 'session'] as const;
const mutation = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom('replace', 'insert', 'delete', 'upper'),
  ch: fc.constantFrom('_', 'A', 'f', 'g', '0', '9', '-', 'ü', '😀', '\u0000', '\n', '.', '\\'),
});

describe('pattern: memory and ClickHouse agree', () => {
  it('a disagreement is an infrastructure finding naming the domain and both answers', () => {
    const memory = [{ kind: 'pattern' as const, domain: 'run', rule: 'parse', source: 'pattern', message: '', ids: [], owners: [], evidence: { count: 3 } }];
    const [f] = patternAgreementFindings(memory, new Map([['run', { ids: 10, nonMatching: 2 }]]), 'clickhouse');
    expect(f?.kind).toBe('infrastructure');
    expect(f?.evidence).toEqual({ run: { memory: 3, clickhouse: 2 } });
    expect(patternAgreementFindings(memory, new Map([['run', { ids: 10, nonMatching: 3 }]]), 'clickhouse')).toEqual([]);
  });

  it('on reference IDs and their mutations, per domain', async () => {
    const target = createTarget({ worker: 0, options: {} });
    const valid = new Map<string, string[]>();
    const ctx = await target.userContext('auth0|123', 'code_review');
    for (const d of DOMAINS) {
      const parents: Record<string, string> | undefined = d === 'run' ? { thread: ctx.thread } : d === 'request' ? { run: ctx.run } : undefined;
      valid.set(d, [...(await target.generate(d, { user: 'auth0|123', op: 'chat_support', parents }, 50))]);
    }
    let round = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom(...DOMAINS), fc.nat({ max: 49 }), fc.array(mutation, { maxLength: 3 })), { minLength: 1, maxLength: 40 }), async (rows) => {
        const ledger = await ClickHouseLedger.open({ url: inject('stores').clickhouseUrl });
        try {
          const check = patternCheck({ catalog, users: ['u'], extractionRules: [], maxExamples: 5 });
          for (const d of DOMAINS) {
            const ids = rows
              .filter(([dom]) => dom === d)
              .map(([, i, muts]) => {
                // Mutate by code point, so an emoji is never split into lone surrogates (which the
                // harness rightly rejects before any ledger sees them).
                let id = [...valid.get(d)![i]!];
                for (const m of muts) {
                  const at = m.at % (id.length + 1);
                  if (m.kind === 'replace') id = [...id.slice(0, at), m.ch, ...id.slice(at + 1)];
                  else if (m.kind === 'insert') id = [...id.slice(0, at), m.ch, ...id.slice(at)];
                  else if (m.kind === 'delete') id = [...id.slice(0, at), ...id.slice(at + 1)];
                  else id = [...id.join('').toUpperCase()];
                }
                return id.join('');
              });
            if (ids.length === 0) continue;
            const batch = createIdBatch({ batchId: `r${round}-${d}`, domain: d, ids, owners: 0 });
            await ledger.append(batch);
            check.observe(toCheckedBatch({ batch, target: 'reference' }, catalog));
          }
          round++;
          const memory = new Map<string, number>();
          for (const f of check.findings()) if (f.rule === 'parse') memory.set(f.domain!, f.evidence.count as number);
          const sql = await clickhousePatternCounts(ledger, catalog);
          for (const [domain, counts] of sql) expect([domain, counts.nonMatching]).toEqual([domain, memory.get(domain) ?? 0]);
          expect([...memory.keys()].every((d) => sql.has(d))).toBe(true);
          expect(patternAgreementFindings(check.findings(), sql, 'clickhouse')).toEqual([]);
        } finally {
          await ledger.close();
        }
      }),
      { numRuns: 30 },
    );
  }, 120_000);
});
