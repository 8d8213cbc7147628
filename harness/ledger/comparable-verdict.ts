import type { Finding } from '../model/index.js';
import type { LedgerVerdict } from './ledger.js';

/** A verdict with every mention of which ledger produced it removed. */
export type ComparableVerdict = Omit<LedgerVerdict, 'ledger'>;

/**
 * Strips the ledger's name from a verdict (the `ledger` field, each finding's `source`, and the
 * name inside messages) so that verdicts of different ledgers can be compared for equality:
 * ledgers agree exactly when their comparable verdicts are deeply equal.
 */
export function comparableVerdict(v: LedgerVerdict): ComparableVerdict {
  const name = `the ${v.ledger} ledger`;
  const findings = v.findings.map((f): Finding => ({ ...f, source: '', message: f.message.split(name).join('the ledger') }));
  return { domains: v.domains, duplicates: v.duplicates, multiOwner: v.multiOwner, findings };
}
