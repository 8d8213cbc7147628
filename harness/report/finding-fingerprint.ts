import type { Finding } from '../model/index.js';

/**
 * A finding's stable identity for baselines: `kind/domain/rule` (`-` for an absent part). It
 * leaves out IDs, owners and counts, which change from run to run, so the same defect keeps
 * its fingerprint across seeds.
 */
export function findingFingerprint(finding: Pick<Finding, 'kind' | 'domain' | 'rule'>): string {
  return `${finding.kind}/${finding.domain ?? '-'}/${finding.rule ?? '-'}`;
}
