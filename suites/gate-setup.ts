import { basename } from 'node:path';
import type { TestProject } from 'vitest/node';
import { auditTree, toFindings } from '../harness/audit/index.js';
import { applyBaseline, buildRunReport, createGateProgress, expectedIdsOf, openLedgers, resolveTarget, runGate } from '../harness/cli/index.js';
import { loadConfig } from '../harness/config/index.js';
import { exitCodeFor } from '../harness/model/index.js';
import { defaultCatalog } from '../harness/spec/index.js';
import { writeReports } from '../harness/report/index.js';
import { createUserTable, resolveProfile } from '../harness/workload/index.js';
import type { GateSummary } from './support/gate-provided.js';
import type {} from './support/golden-provided.js';

/**
 * Global setup of the product suites: runs the gate's workload once (target, profile and seed
 * from `idgate gate`), applies the baseline, writes result.json, summary.md and report.html to
 * the run's folder, and hands the summary to the suites, which assert one check and domain per
 * test.
 */
export default async function setup(project: TestProject): Promise<void> {
  const req = project.getProvidedContext().idgateGate;
  const startedAt = req.startedAt ?? new Date().toISOString();
  const config = req.configFile === undefined ? undefined : await loadConfig({ file: req.configFile });
  const profile = resolveProfile(req.profile, req.overrides);
  const domains = profile.domains?.length ?? (config?.catalog ?? defaultCatalog()).domains.length;
  const ledgers = await openLedgers(profile, { redisUrl: req.redisUrl, clickhouseUrl: req.clickhouseUrl, expectedIds: expectedIdsOf(profile, domains) });
  const gated = await runGate({
    target: resolveTarget(req.target),
    peer: req.peer === undefined ? undefined : resolveTarget(req.peer),
    profile,
    seed: req.seed,
    replay: req.replay,
    ledgers,
    redisUrl: req.redisUrl,
    ...(config?.catalog === undefined ? {} : { catalog: config.catalog }),
    progress: createGateProgress(),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  // When the configuration names a source tree, the gate also audits it for ID minting outside
  // the single generator; its ssot-bypass findings count like any other.
  const auditConfig = config?.config.audit;
  const audit = auditConfig === undefined ? undefined : await auditTree(config!.resolvePath(auditConfig.root), { allow: auditConfig.allow ?? [], exclude: auditConfig.exclude ?? [] });
  const auditFindings = audit === undefined ? [] : toFindings(audit.hits).map((f) => ({ ...f, replay: { seed: req.seed, command: req.replay } }));
  const findings = [...gated.findings, ...auditFindings];
  const result = { ...gated, findings, exitCode: exitCodeFor(findings) };
  const users = createUserTable(profile.users, req.seed);
  const applied = req.baseline === undefined ? undefined : await applyBaseline(result.findings, req.baseline);
  const failing = applied?.failing ?? result.findings;
  const report = buildRunReport({
    result,
    profile,
    command: req.command ?? 'gate',
    runId: req.runId ?? basename(req.outDir),
    startedAt,
    users,
    failing,
    ...(applied === undefined ? {} : { baseline: applied.outcome }),
    ...(req.configFile === undefined ? {} : { configFile: req.configFile }),
  });
  await writeReports(req.outDir, report);
  const summary: GateSummary = {
    target: result.target,
    profile: result.profile,
    seed: result.seed,
    replay: result.replay,
    users,
    findings: failing,
    known: result.findings.filter((f) => !failing.includes(f)),
    domains: result.workload?.domains.map((d) => d.domain) ?? [],
    checked: result.checked,
    ledgers: ['memory', ...profile.ledgers.filter((l) => l !== 'memory')],
    propertyRuns: profile.propertyRuns,
    propertyTimeLimitMs: profile.propertyTimeLimitMs,
    ...(audit === undefined ? {} : { audit: { root: audit.root, files: audit.files } }),
  };
  project.provide('idgateSummary', summary);
  const flow = result.flow;
  const cx = flow?.counterexample;
  project.provide('idgateFlow', {
    planned: profile.flow !== undefined,
    plannedUsers: Math.min(profile.flow?.users ?? 0, profile.users),
    ran: flow !== undefined,
    users: flow?.users ?? 0,
    steps: flow?.steps ?? 0,
    idsMinted: flow?.idsMinted ?? 0,
    skipped: flow?.skipped ?? [],
    ...(cx === undefined ? {} : { counterexample: { seed: cx.seed, path: cx.path, users: cx.users } }),
  });
}
