import type { Finding } from '../model/index.js';
import type { DomainTally, IdExample, LedgerKind } from './ledger.js';

/** How many IDs a finding quotes. */
const QUOTED = 10;

/**
 * Turns a ledger's tallies and examples into findings, the same way for every ledger, so that
 * agreeing ledgers produce identical findings.
 */
export function verdictFindings(
  ledger: LedgerKind,
  domains: readonly DomainTally[],
  duplicates: readonly IdExample[],
  multiOwner: readonly IdExample[],
): Finding[] {
  const out: Finding[] = [];
  for (const t of domains) {
    const inDomain = (e: IdExample) => e.domains.includes(t.domain);
    if (t.duplicateIds > 0) {
      const ex = duplicates.filter((e) => (e.counts[e.domains.indexOf(t.domain)] ?? 0) > 1).slice(0, QUOTED);
      out.push({
        kind: 'duplicate',
        domain: t.domain,
        rule: 'within-domain',
        source: ledger,
        message: `${t.domain}: ${t.duplicateIds} ID(s) minted more than once (${t.appended - t.distinct} extra occurrence(s) in ${t.appended})`,
        ids: ex.map((e) => e.id),
        owners: [...new Set(ex.flatMap((e) => e.owners))],
        evidence: { appended: t.appended, distinct: t.distinct, duplicateIds: t.duplicateIds },
      });
    }
    if (t.crossDomainIds > 0) {
      const ex = duplicates.filter((e) => inDomain(e) && e.domains.length > 1).slice(0, QUOTED);
      out.push({
        kind: 'duplicate',
        domain: t.domain,
        rule: 'cross-domain',
        source: ledger,
        message: `${t.domain}: ${t.crossDomainIds} ID(s) also minted in another domain (${[...new Set(ex.flatMap((e) => e.domains))].filter((d) => d !== t.domain).join(', ')})`,
        ids: ex.map((e) => e.id),
        owners: [...new Set(ex.flatMap((e) => e.owners))],
        evidence: { crossDomainIds: t.crossDomainIds },
      });
    }
    if (t.multiOwnerIds > 0) {
      // Quote IDs that two owners hold in this domain, not IDs multi-owned only elsewhere.
      const ex = multiOwner.filter((e) => e.multiOwnerDomains.includes(t.domain)).slice(0, QUOTED);
      out.push({
        kind: 'multi-owner',
        domain: t.domain,
        source: ledger,
        message: `${t.domain}: ${t.multiOwnerIds} ID(s) held by two or more users`,
        ids: ex.map((e) => e.id),
        owners: [...new Set(ex.flatMap((e) => e.owners))],
        evidence: { multiOwnerIds: t.multiOwnerIds },
      });
    }
    if (t.stored < t.appended) {
      out.push({
        kind: 'lost-write',
        domain: t.domain,
        source: ledger,
        message: `${t.domain}: the ${ledger} ledger holds ${t.stored} of ${t.appended} appended IDs (${t.appended - t.stored} lost)`,
        ids: [],
        owners: [],
        evidence: { appended: t.appended, stored: t.stored },
      });
    } else if (t.stored > t.appended) {
      out.push({
        kind: 'unexpected',
        domain: t.domain,
        source: ledger,
        message: `${t.domain}: the ${ledger} ledger holds ${t.stored} IDs but only ${t.appended} were appended (${t.stored - t.appended} unexpected)`,
        ids: [],
        owners: [],
        evidence: { appended: t.appended, stored: t.stored },
      });
    }
  }
  return out;
}
