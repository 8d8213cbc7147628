import { inject } from 'vitest';
import type { Finding, FindingKind } from '../../harness/model/index.js';
import { formatFinding } from '../../harness/report/index.js';
import type { GateSummary } from './gate-provided.js';

/** The run the suites assert on. */
export function gateSummary(): GateSummary {
  return inject('idgateSummary');
}

/** Findings of `kind` (and `domain`, when given) in the run. */
export function findingsFor(kind: FindingKind | readonly FindingKind[], domain?: string): Finding[] {
  const kinds: readonly FindingKind[] = typeof kind === 'string' ? [kind] : kind;
  return gateSummary().findings.filter((f) => kinds.includes(f.kind) && (domain === undefined || f.domain === domain));
}

/**
 * Findings as a person reads them in the terminal: kind, domain, message, the IDs and the
 * owners (as user IDs), and the command that replays the run.
 */
export function formatFindings(findings: readonly Finding[]): string {
  const s = gateSummary();
  return findings.map((f) => formatFinding(f, { owners: (o) => s.users[o], replay: s.replay })).join('\n');
}
