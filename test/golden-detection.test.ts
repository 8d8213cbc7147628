import { writeFileSync, mkdirSync } from 'node:fs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { buildRunReport, resolveTarget, runGate, type GateResult } from '../harness/cli/index.js';
import { formatMarkdown } from '../harness/report/index.js';
import { createUserTable, PROFILES, resolveProfile } from '../harness/workload/index.js';
import { runReportValidator } from './helpers/run-report-schema.js';

// The golden flow's self-test: the references pass the golden flow (the reference with the
// golden profile's full 500 users, timed), the isolation mutants are caught with isolation or
// duplicate findings, and the legacy-style target fails with isolation findings from the
// cleanup exercise in real Redis. The bulk workload is kept small: the flow is under test.
const SEED = Number(process.env.IDGATE_SEED ?? 20261123);
const golden = PROFILES.golden;
const rows: string[] = [];

async function gate(target: string, users: number): Promise<GateResult> {
  const profile = resolveProfile('golden', { idsPerDomain: 2000, users, ledgers: ['memory'], flow: { ...golden.flow!, users, shrinkTimeLimitMs: 3000 } });
  return runGate({ target: resolveTarget(target), profile, seed: SEED, redisUrl: inject('stores').redisUrl });
}

const kinds = (r: GateResult) => [...new Set(r.findings.map((f) => f.kind))].sort();
const rules = (r: GateResult) => [...new Set(r.findings.filter((f) => f.kind === 'isolation').map((f) => f.rule))].sort();

describe('golden flow self-test', () => {
  afterAll(() => {
    const table = ['| target | users | flow steps | flow IDs | flow s | users/s | found |', '|---|---|---|---|---|---|---|', ...rows].join('\n');
    console.log(`\n${table}\n`);
    mkdirSync('reports', { recursive: true });
    writeFileSync('reports/golden-detection.md', `${table}\n`);
  });
  const row = (target: string, r: GateResult) => {
    const f = r.flow!;
    rows.push(`| ${target} | ${f.users} | ${f.steps} | ${f.idsMinted} | ${(f.firstMs / 1000).toFixed(1)} | ${Math.round(f.users / (f.firstMs / 1000))} | ${kinds(r).join(', ') || '(none)'}${f.counterexample === undefined ? '' : `; minimal: ${f.counterexample.users.length} user(s), path ${f.counterexample.path}`} |`);
  };

  it(`the reference passes the golden flow with ${golden.flow!.users} users, cleanup and routing exercised`, async () => {
    const r = await gate('reference', golden.users);
    row('reference', r);
    expect(r.findings.map((f) => `${f.kind}/${f.rule}: ${f.message}`)).toEqual([]);
    expect(r.flow?.users).toBeGreaterThanOrEqual(500);
    expect(r.flow?.skipped).toEqual([]);
    expect(r.flow?.restarts).toBe(1);
  });

  it('the Python reference passes the golden flow', async () => {
    const r = await gate('python-reference', 120);
    row('python-reference', r);
    expect(r.findings.map((f) => `${f.kind}/${f.rule}: ${f.message}`)).toEqual([]);
    expect(r.flow?.skipped).toEqual([]);
  });

  it.each(['user-tag-8-chars', 'counter-shared-across-users', 'session-second-user', 'id-reused-after-restart'])('mutant %s is caught by the golden flow with isolation or duplicate findings', async (name) => {
    const r = await gate(`mutant:${name}`, 150);
    row(`mutant:${name}`, r);
    expect(kinds(r).filter((k) => k === 'isolation' || k === 'duplicate').length).toBeGreaterThan(0);
    expect(r.exitCode).toBe(1);
    // The flow itself catches the isolation mutants, and fast-check shrinks the interleaving.
    if (name !== 'id-reused-after-restart') expect(r.flow?.counterexample?.findings.map((f) => f.kind)).toEqual(expect.arrayContaining([expect.stringMatching(/^(isolation|duplicate)$/)]));
  });

  it("the run's report carries the flow: users/s, executions and the shrunk interleaving, valid against the schema", async () => {
    const r = await gate('mutant:user-tag-8-chars', 60);
    const profile = resolveProfile('golden', { users: 60 });
    const report = buildRunReport({ result: r, profile, command: 'golden', runId: 'golden-report', startedAt: new Date().toISOString(), users: createUserTable(60, SEED) });
    const validate = runReportValidator();
    expect(validate(JSON.parse(JSON.stringify(report))), JSON.stringify(validate.errors)).toBe(true);
    expect(report.flow?.users).toBe(60);
    expect(report.flow?.usersPerSecond).toBeGreaterThan(0);
    expect(report.flow?.executions).toBeGreaterThan(1);
    expect(report.flow?.counterexample?.users.length).toBeLessThan(60);
    expect(formatMarkdown(report)).toMatch(/#### Golden path flow\n\n60 users interleaved[\s\S]*Smallest failing interleaving: \d+ user\(s\)/);
  });

  it('the legacy-style Python target fails with isolation findings from cleanup in real Redis and from routing', async () => {
    const r = await gate('python-legacy', 150);
    row('python-legacy', r);
    expect(rules(r)).toEqual(expect.arrayContaining(['cleanup-reaches-other-user', 'routing-wrong-user']));
    const reach = r.findings.find((f) => f.rule === 'cleanup-reaches-other-user')!;
    // `*{user[:8]}*` deletes the keys of users who share the first 8 characters.
    expect(String((reach.evidence.examples as string[])[0])).toMatch(/with \["\*.{8}\*"\] deleted/);
    expect(r.flow?.counterexample?.path).toMatch(/^\d+(:\d+)*$/);
  });
});
