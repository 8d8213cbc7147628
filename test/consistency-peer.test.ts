import { describe, expect, it } from 'vitest';
import { resolveTarget, runGate } from '../harness/cli/index.js';
import type { Finding } from '../harness/model/index.js';
import { resolveProfile } from '../harness/workload/index.js';

// Consistency between two systems: every ID the target mints must be accepted, and read the
// same way (type, parent, owner), by a peer — say a backend's ID manager beside the auth
// service's generator.
async function withPeer(target: string, peer: string): Promise<Finding[]> {
  const r = await runGate({
    target: resolveTarget(target),
    peer: resolveTarget(peer),
    profile: resolveProfile('ci', { idsPerDomain: 2_000, users: 40, contextsPerUser: 1 }),
    seed: 5,
  });
  return r.findings.filter((f) => f.kind === 'consistency' && f.rule?.startsWith('peer-') === true);
}

const rules = (fs: readonly Finding[]) => [...new Set(fs.map((f) => f.rule))].sort();

describe('consistency with a peer system', () => {
  it('passes when the peer is another instance of the same reference system', async () => {
    expect(await withPeer('reference', 'python-reference')).toEqual([]);
  });

  it("fails when the peer's validator rejects IDs the target mints", async () => {
    const found = await withPeer('reference', 'mutant:validator-rejects-own');
    expect(rules(found)).toEqual(['peer-validator-rejects']);
    expect(found[0]!.message).toMatch(/rejected by the peer system's validator/);
  });

  it('fails when the peer reads owners and parents differently (a legacy ID manager)', async () => {
    const found = await withPeer('reference', 'python-legacy');
    expect(rules(found)).toEqual(expect.arrayContaining(['peer-reads-differently', 'peer-validator-rejects']));
    const reads = found.find((f) => f.rule === 'peer-reads-differently')!;
    expect(String((reads.evidence.examples as string[])[0])).toMatch(/python-legacy reads (owner|parent|type)/);
  });
});
