import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { RunReport } from '../harness/report/index.js';
import { runReportValidator } from './helpers/run-report-schema.js';


// The built `idgate` binary, as users run it (npm test builds first).
const BIN = 'dist/harness/cli/main.js';
const work = mkdtempSync(join(tmpdir(), 'idgate-cli-report-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function idgate(args: readonly string[], env: Record<string, string> = {}): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 180_000, env: { ...process.env, FORCE_COLOR: '0', CI: 'true', ...env } });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}
const report = (dir: string) => JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as RunReport;
const validate = runReportValidator();

describe('idgate gate reports and baselines (built CLI)', () => {
  it('a baseline lets a legacy target pass on day one; a new defect fails; fixed ones are listed; reports re-render', () => {
    const baseline = join(work, 'baseline.json');
    const first = join(work, 'adopt');
    const adopt = idgate(['gate', '--profile', 'ci', '--ids', '3000', '--target', 'mutant:session-second-user', '--seed', '11', '--baseline', baseline, '--update-baseline', '--out', first]);
    expect(adopt.out).toMatch(/baseline .*baseline\.json \(rewritten\): 0 new, \d+ known, 0 fixed/);
    expect(adopt.code).toBe(0);
    const accepted = (JSON.parse(readFileSync(baseline, 'utf8')) as { findings: { fingerprint: string }[] }).findings.map((f) => f.fingerprint);
    expect(accepted).toContain('multi-owner/session/-');
    expect(validate(report(first)), JSON.stringify(validate.errors)).toBe(true);

    // The same defect again, another seed: known, reported, passing.
    const again = idgate(['gate', '--profile', 'ci', '--ids', '3000', '--target', 'mutant:session-second-user', '--seed', '12', '--baseline', baseline, '--out', join(work, 'again')]);
    expect(again.out).toMatch(/\[multi-owner\] \(known\) session: /);
    expect(again.out).toMatch(/0 new, \d+ known, 0 fixed/);
    expect(again.code).toBe(0);

    // Another defect: new fails; the session findings are gone, so they are listed as fixed.
    const other = join(work, 'other');
    const r = idgate(['gate', '--profile', 'ci', '--ids', '3000', '--target', 'mutant:same-id-two-domains', '--seed', '11', '--baseline', baseline, '--out', other]);
    expect(r.code).toBe(1);
    const rep = report(other);
    expect(validate(rep), JSON.stringify(validate.errors)).toBe(true);
    expect(rep.exitCode).toBe(1);
    expect(rep.baseline?.new.length).toBeGreaterThan(0);
    expect(rep.baseline?.fixed).toContain('multi-owner/session/-');
    expect(r.out).toMatch(/fixed \(shrink the baseline with --update-baseline\): .*multi-owner\/session\/-/);
    // Every listed finding shows the owners as user IDs and the replay command.
    expect(r.out).toMatch(/\n {4}owners: \d+ \([^?)]+\)/);
    expect(r.out).toMatch(/\n {4}replay: npx idgate gate --target mutant:same-id-two-domains --profile ci --seed 11 --ids 3000/);

    // idgate report renders the Markdown and HTML again from result.json alone.
    rmSync(join(other, 'summary.md'));
    rmSync(join(other, 'report.html'));
    const rendered = idgate(['report', other, '--markdown']);
    expect(rendered.code).toBe(0);
    expect(rendered.out).toMatch(/^### idgate gate: ❌ FAIL/m);
    expect(readFileSync(join(other, 'report.html'), 'utf8')).toContain('mutant:same-id-two-domains');
    expect(idgate(['report', join(work, 'nowhere')]).code).toBe(2);
  });

  it('a password in a store URL appears in no log line and no report file', () => {
    const secret = 'pw-s3cret-4711';
    const { redisUrl } = inject('stores');
    const url = new URL(redisUrl);
    // Redis's default user has no password, so any password authenticates it.
    url.username = 'default';
    url.password = secret;
    const config = join(work, 'redis.config.ts');
    writeFileSync(config, "export default { profiles: { ci: { ledgers: ['memory', 'redis'] } } };\n");
    const out = join(work, 'secret');
    const r = idgate(['gate', '--profile', 'ci', '--ids', '2000', '--users', '20', '--seed', '5', '--config', config, '--stores', 'url', '--out', out], { IDGATE_REDIS_URL: url.toString() });
    expect(r.out).toMatch(/idgate gate: PASS/);
    expect(r.code).toBe(0);
    expect(report(out).ledgers.map((l) => l.ledger)).toEqual(['memory', 'redis']);
    expect(r.out).not.toContain(secret);
    const files = readdirSync(out);
    expect(files).toEqual(expect.arrayContaining(['result.json', 'summary.md', 'report.html', 'junit.xml']));
    for (const f of files) expect(readFileSync(join(out, f), 'utf8'), f).not.toContain(secret);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
  });
});
