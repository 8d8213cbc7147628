import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Finding } from '../harness/model/index.js';

// The gate runs the SSOT audit when the configuration names a source tree (issue 12): its
// ssot-bypass findings fail the run like any other finding.
const BIN = 'dist/harness/cli/main.js';
const work = mkdtempSync(join(tmpdir(), 'idgate-gate-audit-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function gateWithAudit(name: string, root: string, allow: readonly string[]): { code: number | null; out: string; findings: Finding[]; junit: string } {
  const dir = join(work, name);
  const config = join(work, `${name}.config.ts`);
  writeFileSync(config, `export default { target: 'reference', audit: { root: ${JSON.stringify(resolve(root))}, allow: ${JSON.stringify(allow)} } };\n`);
  const r = spawnSync(process.execPath, [BIN, 'gate', '--profile', 'ci', '--ids', '1000', '--users', '20', '--seed', '4', '--config', config, '--out', dir], { encoding: 'utf8', timeout: 180_000, env: { ...process.env, FORCE_COLOR: '0' } });
  const result = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as { findings: Finding[] };
  return { code: r.status, out: `${r.stdout}${r.stderr}`, findings: result.findings, junit: readFileSync(join(dir, 'junit.xml'), 'utf8') };
}

describe('idgate gate with a source tree to audit', () => {
  it('fails on code that mints IDs outside the single generator, naming file, line and call', () => {
    const r = gateWithAudit('dirty', 'fixtures/sample-code', ['**/ssot/**']);
    expect(r.code).toBe(1);
    const ssot = r.findings.filter((f) => f.kind === 'ssot-bypass');
    expect(ssot.length).toBeGreaterThan(20);
    expect(r.out).toMatch(/\[ssot-bypass\/py\/uuid\] python\/app\/sessions\.py:\d+:\d+ uuid\.uuid4\(\)/);
    expect(r.findings.filter((f) => f.kind !== 'ssot-bypass')).toEqual([]);
  });

  it('passes a clean tree, and says in the suite that it audited it', () => {
    const r = gateWithAudit('clean', 'fixtures/reference', []);
    expect(r.findings).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.junit).toMatch(/no code under [^"]*fixtures\/reference \(\d+ files\) mints IDs outside the single generator/);
  });
});
