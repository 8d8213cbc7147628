import { inject } from 'vitest';
import type { Finding, FindingKind } from '../../harness/model/index.js';
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
  return findings
    .map((f) => {
      const owners = f.owners.slice(0, 5).map((o) => `${o} (${s.users[o] ?? '?'})`);
      const lines = [`[${f.kind}${f.rule === undefined ? '' : `/${f.rule}`}] ${f.message}`];
      if (f.ids.length > 0) lines.push(`  IDs: ${f.ids.slice(0, 5).map((i) => JSON.stringify(i)).join(', ')}${f.ids.length > 5 ? ', …' : ''}`);
      if (owners.length > 0) lines.push(`  owners: ${owners.join(', ')}`);
      const examples = f.evidence.examples;
      if (Array.isArray(examples) && examples.length > 0) lines.push(`  why: ${String(examples[0])}`);
      lines.push(`  replay: ${f.replay?.command ?? s.replay}`);
      return lines.join('\n');
    })
    .join('\n');
}
