import { writeFileSync, mkdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { MUTANTS } from '../fixtures/mutants/index.js';
import { resolveTarget, runGate, type GateResult } from '../harness/cli/index.js';
import type { Finding, FindingKind } from '../harness/model/index.js';
import { resolveProfile } from '../harness/workload/index.js';

// The detection self-test: the references pass the ci profile, every mutant fails it with each
// finding kind it declares, and the legacy-style target fails with the kinds of its defects.
// "IDs needed" is the smallest rung of the ladder (IDs per domain) at which every expected kind
// was found; the table is printed and written to reports/detection.md.
const LADDER = [2_000, 50_000] as const;
/** Finding kinds whose checks are not built yet; listed in the table. Empty: every kind is enforced. */
const NOT_YET_BUILT: readonly FindingKind[] = [];
const SEED = Number(process.env.IDGATE_SEED ?? 20261123);
const rows: string[] = [];

type ProfileOverrides = Parameters<typeof resolveProfile>[1];

async function gate(target: string, overrides: ProfileOverrides): Promise<GateResult> {
  return runGate({ target: resolveTarget(target), profile: resolveProfile('ci', overrides), seed: SEED });
}

/**
 * Runs up the ladder until every expected kind has been found on some rung; returns the
 * findings of every rung run and the IDs minted up to the rung that completed the set.
 */
async function detect(target: string, expected: readonly FindingKind[], ladder: readonly ProfileOverrides[] = LADDER.map((idsPerDomain) => ({ idsPerDomain }))): Promise<{ findings: Finding[]; found: FindingKind[]; ids: number; exitCodes: number[] }> {
  const findings: Finding[] = [];
  const exitCodes: number[] = [];
  let ids = 0;
  for (const overrides of ladder) {
    const result = await gate(target, overrides);
    findings.push(...result.findings);
    exitCodes.push(result.exitCode);
    ids = result.workload?.domains.reduce((n, d) => n + d.minted, 0) ?? 0;
    if (expected.every((k) => findings.some((f) => f.kind === k))) break;
  }
  return { findings, found: [...new Set(findings.map((f) => f.kind))].sort(), ids, exitCodes };
}

describe('detection self-test (ci profile)', () => {
  afterAll(() => {
    const table = ['| target | expected | found | IDs minted when caught |', '|---|---|---|---|', ...rows].join('\n');
    console.log(`\n${table}\n`);
    mkdirSync('reports', { recursive: true });
    writeFileSync('reports/detection.md', `${table}\n`);
  });

  it.each(['reference', 'python-reference'])('%s passes with no finding', async (target) => {
    const r = await gate(target, { idsPerDomain: LADDER[1] });
    expect(r.findings.map((f) => `${f.kind}: ${f.message}`)).toEqual([]);
    expect(r.exitCode).toBe(0);
    rows.push(`| ${target} | (none) | (none) | ${r.workload?.domains.reduce((n, d) => n + d.minted, 0)} (passed) |`);
  });

  // A mutant whose defect is module-level state runs in worker threads (one module instance per
  // worker); in one process its workers would share that state and hide the defect.
  it.each(MUTANTS.map((m) => [m.name, m.expected, m.needsSeparateProcesses === true ? `worker:mutant:${m.name}` : `mutant:${m.name}`] as const))('mutant %s is caught with %j (as %s)', async (name, expected, target) => {
    const enforced = expected.filter((k) => !NOT_YET_BUILT.includes(k));
    const { found, ids, exitCodes } = await detect(target, enforced);
    const pending = expected.filter((k) => NOT_YET_BUILT.includes(k));
    rows.push(`| ${target} | ${expected.join(', ')} | ${found.join(', ')}${pending.length > 0 ? ` (${pending.join(', ')}: check not built yet)` : ''} | ${ids} |`);
    for (const k of enforced) expect(found, `${name} should be caught by ${k}`).toContain(k);
    expect(exitCodes.at(-1)).toBe(1);
  });

  describe('generation across worker threads and child processes (2 workers)', () => {
    // The ci profile starts 2 instances (workers: 2) and restarts worker 0 halfway through the
    // first domain; worker: and subprocess: targets give each instance a thread or process of its own.
    it.each(['worker:reference', 'reference-subprocess'])('%s passes with no finding', async (target) => {
      const r = await gate(target, { idsPerDomain: 5_000 });
      expect(r.findings.map((f) => `${f.kind}: ${f.message}`)).toEqual([]);
      expect(r.workload?.workers).toBe(2);
      expect(r.workload?.restarts).toBe(1);
      rows.push(`| ${target} | (none) | (none) | ${r.workload?.domains.reduce((n, d) => n + d.minted, 0)} (passed) |`);
    });

    it('a counter that restarts per process is caught through the subprocess adapter, and is invisible in-process', async () => {
      const { findings, found, ids } = await detect('subprocess:mutant:counter-per-process', ['duplicate']);
      rows.push(`| subprocess:mutant:counter-per-process | duplicate | ${found.join(', ')} | ${ids} |`);
      expect(found).toContain('duplicate');
      // Process 1 (odd users) mints with the counters process 0 (even users) used: the quoted
      // duplicates are held by users of both processes.
      const owners = findings.find((f) => f.kind === 'duplicate' && f.domain === 'user')?.owners ?? [];
      expect(owners.some((o) => o % 2 === 0) && owners.some((o) => o % 2 === 1), JSON.stringify(owners)).toBe(true);
      const inProcess = await gate('mutant:counter-per-process', { idsPerDomain: LADDER[0] });
      expect(inProcess.findings.filter((f) => f.kind === 'duplicate')).toEqual([]);
    });
  });

  it('the legacy-style Python target fails with relation, consistency, pattern, duplicate, isolation and entropy findings', async () => {
    // entropy: its IDs do not parse, so their trailing tokens are estimated (hex8: 32 bits).
    const expected: FindingKind[] = ['consistency', 'duplicate', 'entropy', 'isolation', 'pattern', 'relation'];
    // Its 32 random bits collide only at volume: the last rung mints 1.5M WebSocket IDs, a
    // quarter of them under one shared 8-character tag, where a collision is all but certain
    // (birthday bound: 1 - exp(-375k² / 2^33) > 0.9999999).
    const { findings, found, ids } = await detect('python-legacy', expected, [{ idsPerDomain: LADDER[1] }, { idsPerDomain: 1_500_000, domains: ['ws_conn'], contextsPerUser: 0, batchSize: 50_000 }]);
    rows.push(`| python-legacy | ${expected.join(', ')} | ${found.join(', ')} | ${ids} |`);
    for (const k of expected) expect(found).toContain(k);
    // Its two ID systems disagree on where a run's thread is: the declared rules read it wrong.
    expect(findings.some((f) => f.kind === 'relation' && f.rule?.startsWith('rule:') === true)).toBe(true);
  });
});
