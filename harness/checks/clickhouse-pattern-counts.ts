import type { ClickHouseLedger } from '../ledger/index.js';
import type { DomainName, Finding } from '../model/index.js';
import type { DomainCatalog } from '../spec/index.js';

/**
 * The pattern question answered inside ClickHouse (DESIGN.md's ledger table): per domain of the
 * catalog, how many IDs the ledger holds that do not match the domain's spec regex.
 */
export async function clickhousePatternCounts(ledger: ClickHouseLedger, catalog: DomainCatalog): Promise<Map<DomainName, { ids: number; nonMatching: number }>> {
  return ledger.countNotMatching(new Map(catalog.domains.map((d) => [d, catalog.codec(d).regex])));
}

/**
 * The memory path's pattern answer (the `parse` findings of the pattern check) against
 * ClickHouse's: an `infrastructure` finding for every domain where they differ, since ledgers
 * that disagree prove nothing.
 */
export function patternAgreementFindings(patternFindings: readonly Finding[], sql: ReadonlyMap<DomainName, { ids: number; nonMatching: number }>, source: string): Finding[] {
  const memory = new Map<string, number>();
  for (const f of patternFindings) if (f.kind === 'pattern' && f.rule === 'parse' && f.domain !== undefined) memory.set(f.domain, Number(f.evidence.count));
  const domains = new Set([...memory.keys(), ...sql.keys()]);
  const differ = [...domains].filter((d) => (memory.get(d) ?? 0) !== (sql.get(d)?.nonMatching ?? 0)).sort();
  if (differ.length === 0) return [];
  return [
    {
      kind: 'infrastructure',
      rule: 'ledger-disagreement',
      source,
      message: `the ${source} ledger's pattern answer (match() with the spec regexes) disagrees with the memory path's parser on ${differ.join(', ')}`,
      ids: [],
      owners: [],
      evidence: Object.fromEntries(differ.map((d) => [d, { memory: memory.get(d) ?? 0, [source]: sql.get(d)?.nonMatching ?? 0 }])),
    },
  ];
}
