import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { openLedgers, resolveTarget, runGate } from '../harness/cli/index.js';
import { createUserTable, resolveProfile } from '../harness/workload/index.js';
import type { GateSummary } from './support/gate-provided.js';

/**
 * Global setup of the product suites: runs the gate's workload once (target, profile and seed
 * from `idgate gate`), writes result.json to the run's folder, and hands the summary to the
 * suites, which assert one check and domain per test.
 */
export default async function setup(project: TestProject): Promise<void> {
  const req = project.getProvidedContext().idgateGate;
  const profile = resolveProfile(req.profile, req.overrides);
  const ledgers = await openLedgers(profile, { redisUrl: req.redisUrl, clickhouseUrl: req.clickhouseUrl });
  const result = await runGate({
    target: resolveTarget(req.target),
    profile,
    seed: req.seed,
    replay: req.replay,
    ledgers,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  await mkdir(req.outDir, { recursive: true });
  await writeFile(join(req.outDir, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);
  const summary: GateSummary = {
    target: result.target,
    profile: result.profile,
    seed: result.seed,
    replay: result.replay,
    users: createUserTable(profile.users, req.seed),
    findings: result.findings,
    domains: result.workload?.domains.map((d) => d.domain) ?? [],
    checked: result.checked,
    ledgers: ['memory', ...profile.ledgers.filter((l) => l !== 'memory')],
    propertyRuns: profile.propertyRuns,
    propertyTimeLimitMs: profile.propertyTimeLimitMs,
  };
  project.provide('idgateSummary', summary);
}
