import type { Finding } from '../model/index.js';
import type { AuditHit } from './audit-hit.js';
import { AUDIT_RULES } from './audit-rule.js';

/** Turns audit hits into the shared {@link Finding} vocabulary (`ssot-bypass`, source `audit`). */
export function toFindings(hits: readonly AuditHit[]): Finding[] {
  return hits.map((h) => ({
    kind: 'ssot-bypass',
    message: `${h.file}:${h.line}:${h.column} ${h.call} — ${AUDIT_RULES[h.rule].summary}`,
    ids: [],
    owners: [],
    source: 'audit',
    rule: h.rule,
    evidence: { file: h.file, line: h.line, column: h.column, call: h.call, hint: h.hint, fingerprint: h.fingerprint },
  }));
}
