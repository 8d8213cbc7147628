import type { Finding } from '../model/index.js';
import type { LedgerVerdict } from '../ledger/index.js';

/**
 * Uniqueness and ownership as the ledgers answer them: the reference (first) verdict's
 * findings, each marked with the other ledgers that found the same; and an `infrastructure`
 * finding for any ledger whose tallies differ from the reference's, since ledgers that
 * disagree prove nothing.
 */
export function ledgerFindings(verdicts: readonly LedgerVerdict[]): Finding[] {
  const [reference, ...others] = verdicts;
  if (reference === undefined) return [];
  const key = (f: Finding) => `${f.kind}\u0000${f.domain ?? ''}\u0000${f.rule ?? ''}`;
  const out: Finding[] = reference.findings.map((f) => ({
    ...f,
    evidence: { ...f.evidence, confirmedBy: others.filter((v) => v.findings.some((g) => key(g) === key(f))).map((v) => v.ledger) },
  }));
  for (const v of others) {
    for (const f of v.findings) if (f.kind === 'lost-write' || f.kind === 'unexpected') out.push(f);
    const a = JSON.stringify(reference.domains);
    const b = JSON.stringify(v.domains);
    if (a !== b) {
      const diff = v.domains.filter((t) => JSON.stringify(t) !== JSON.stringify(reference.domains.find((r) => r.domain === t.domain)));
      out.push({
        kind: 'infrastructure',
        rule: 'ledger-disagreement',
        source: v.ledger,
        message: `the ${v.ledger} ledger disagrees with the ${reference.ledger} ledger on ${diff.map((t) => t.domain).join(', ') || 'the set of domains'}`,
        ids: [],
        owners: [],
        evidence: { [reference.ledger]: reference.domains, [v.ledger]: v.domains },
      });
    }
  }
  return out;
}
