import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Finding } from '../harness/model/index.js';

// The built `idgate` binary, as users run it (npm test builds first).
const BIN = 'dist/harness/cli/main.js';
const work = mkdtempSync(join(tmpdir(), 'idgate-gate-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function idgate(args: readonly string[]): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 180_000, env: { ...process.env, FORCE_COLOR: '0' } });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

function result(dir: string): { findings: Finding[]; replay: string; exitCode: number } {
  return JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as { findings: Finding[]; replay: string; exitCode: number };
}

const signature = (fs: readonly Finding[]) => [...new Set(fs.map((f) => `${f.kind}/${f.domain ?? ''}/${f.rule ?? ''}`))].sort();

describe('idgate gate (built CLI)', () => {
  it('passes the reference target: exit 0, a JUnit report and result.json', () => {
    const out = join(work, 'ref');
    const r = idgate(['gate', '--profile', 'ci', '--ids', '2000', '--target', 'reference', '--seed', '3', '--out', out]);
    expect(r.out).toMatch(/idgate gate: PASS/);
    expect(r.code).toBe(0);
    expect(existsSync(join(out, 'junit.xml'))).toBe(true);
    expect(result(out).findings).toEqual([]);
  });

  it('fails a mutant with exit 1, and its replay command gets the same findings back', () => {
    const first = join(work, 'mutant-1');
    const r1 = idgate(['gate', '--profile', 'ci', '--ids', '2000', '--target', 'mutant:session-second-user', '--seed', '11', '--out', first]);
    expect(r1.code).toBe(1);
    expect(r1.out).toMatch(/\[multi-owner\] session: \d+ ID\(s\) held by two or more users/);
    expect(r1.out).toMatch(/owners: \d+ \(/);
    const { findings, replay } = result(first);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((f) => f.replay?.command === replay)).toBe(true);
    // Run exactly the printed command (with our own report folder).
    const args = replay.replace(/^npx idgate /, '').split(' ');
    const second = join(work, 'mutant-2');
    const r2 = idgate([...args, '--out', second]);
    expect(r2.code).toBe(1);
    expect(signature(result(second).findings)).toEqual(signature(findings));
  });

  it('refuses bad input with exit 2 and a message naming it', () => {
    const unknown = idgate(['gate', '--target', 'mutant:no-such-mutant']);
    expect(unknown.code).toBe(2);
    expect(unknown.out).toMatch(/no mutant named "no-such-mutant"/);
    const profile = idgate(['gate', '--profile', 'weekly']);
    expect(profile.code).toBe(2);
    expect(profile.out).toMatch(/no profile named "weekly"[\s\S]*ci, gate, golden, nightly/);
  });
});
