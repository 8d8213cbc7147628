import { CHECKS, ledgerFindings, toCheckedBatch, type CheckContext } from '../checks/index.js';
import { MemoryLedger, type DomainTally } from '../ledger/index.js';
import { createIdBatch, exitCodeFor, type ExitCode, type Finding, type ObservedBatch } from '../model/index.js';
import { defaultCatalog, type DomainCatalog } from '../spec/index.js';
import { ServiceTarget, type ServiceObservations, type ServiceSpec } from '../targets/index.js';
import { WORKLOAD_OPS, createUserTable } from '../workload/index.js';
import { percentiles, type Percentiles } from './percentiles.js';
import { judgeService } from './service-judge.js';
import { evaluateServiceThresholds, parseServiceThresholds, thresholdFindings, type ServiceThresholdResult, type ServiceThresholds } from './service-thresholds.js';

/** Options of {@link runServiceGolden}. */
export interface ServiceGoldenOptions {
  readonly spec: ServiceSpec;
  /** Concurrent simulated users (faker and adversarial identities from the seed). Required. */
  readonly users: number;
  /** Seeds the user table. Required. */
  readonly seed: number;
  /** Domains and their specs. Default: the default catalog. */
  readonly catalog?: DomainCatalog;
  /** Streaming checks over the IDs seen. Default: pattern, relation, isolation. */
  readonly checks?: readonly string[];
  /** Examples kept per finding. Default 20. */
  readonly maxExamples?: number;
  /** The command that replays the run, quoted in findings. Default: none. */
  readonly replay?: string;
  /** k6-style limits on latencies and throughput ({@link ServiceThresholds}); each that fails is a finding. Default: none. */
  readonly thresholds?: ServiceThresholds;
}

/** What the service golden path did and found. */
export interface ServiceGoldenResult {
  readonly service: string;
  readonly users: readonly string[];
  readonly findings: readonly Finding[];
  readonly exitCode: ExitCode;
  /** IDs seen per domain. */
  readonly ids: Readonly<Record<string, number>>;
  /** What the memory ledger held per domain (appended, stored, distinct). */
  readonly ledger: readonly DomainTally[];
  /** Per check run over the IDs, the domains it looked at. */
  readonly checked: Readonly<Record<string, readonly string[]>>;
  /** Driving the users (login to the last disconnect), ms. */
  readonly driveMs: number;
  readonly events: number;
  /** Login to last delivery per user, ms, over the users whose path completed. */
  readonly latency: Percentiles;
  /** Per step (`login`, `socket`, `createThread`, `startRun`, `sendMessage`, `delivery`, `disconnect`), ms over the times it succeeded. */
  readonly steps: Readonly<Record<string, Percentiles & { readonly count: number }>>;
  readonly completed: number;
  /** Users through the run per second of wall time (all users, completed or not). */
  readonly usersPerSecond: number;
  /** Every threshold and what was measured against it (failed ones are also findings). */
  readonly thresholds: readonly ServiceThresholdResult[];
  readonly wallMs: number;
  readonly skipped: readonly string[];
}

/**
 * The golden path against a running service: every user of the seed's user table at once
 * through login, WebSocket, thread, run, messages, events and disconnect; every ID each user
 * was given goes through a memory ledger (duplicates, multi-owner) and the streaming checks
 * (pattern, relation, isolation by user tag), and the observations through {@link judgeService}
 * (events to the wrong user, cleanup in the service's Redis). A service that does not answer is
 * a `target-failure`, never a hang: every wait is bounded by the spec's timeouts.
 */
export async function runServiceGolden(options: ServiceGoldenOptions): Promise<ServiceGoldenResult> {
  const t0 = performance.now();
  if (!Number.isInteger(options.users) || options.users < 1) throw new RangeError(`runServiceGolden: users must be a whole number ≥ 1, got ${String(options.users)}; pass --users 500`);
  const catalog = options.catalog ?? defaultCatalog();
  const thresholds = parseServiceThresholds(options.thresholds, 'thresholds', 'runServiceGolden');
  const users = createUserTable(options.users, options.seed);
  const maxExamples = options.maxExamples ?? 20;
  const replay = options.replay === undefined ? undefined : { seed: options.seed, command: options.replay };
  const target = new ServiceTarget(options.spec);
  const base = { users, ids: {}, ledger: [], checked: {}, driveMs: 0, events: 0, latency: percentiles([]), steps: {}, completed: 0, usersPerSecond: 0, thresholds: [] };
  const started = await target.start();
  if (!started.ok) {
    const findings = [started.finding];
    return { ...base, service: `service ${options.spec.url}`, findings, exitCode: exitCodeFor(findings), wallMs: performance.now() - t0, skipped: [] };
  }
  let obs: ServiceObservations;
  const tDrive = performance.now();
  try {
    obs = await started.value.drive(users, WORKLOAD_OPS);
  } finally {
    started.value.stop();
  }
  const driveMs = performance.now() - tDrive;
  const findings: Finding[] = [];
  const context: CheckContext = { catalog, users, extractionRules: [], maxExamples, ...(replay === undefined ? {} : { replay: () => replay }) };
  const checks = (options.checks ?? ['pattern', 'relation', 'isolation']).map((n) => CHECKS.get(n)!(context));
  const ledger = new MemoryLedger({ maxExamples });
  const ids: Record<string, number> = {};
  for (const observed of observedBatches(obs, catalog)) {
    ids[observed.batch.domain] = observed.batch.ids.length;
    await ledger.append(observed.batch);
    const checked = toCheckedBatch(observed, catalog);
    for (const c of checks) c.observe(checked);
  }
  const verdict = await ledger.verify();
  findings.push(...ledgerFindings([verdict]).map((f) => ({ ...f, ...(replay === undefined ? {} : { replay }) })));
  await ledger.close();
  for (const c of checks) findings.push(...c.findings());
  findings.push(...judgeService(obs, { spec: options.spec, users, maxExamples, ...(replay === undefined ? {} : { replay }) }));
  const times = obs.users.flatMap((u) => (u.pathMs === undefined ? [] : [u.pathMs]));
  const trends = new Map<string, number[]>([['path', times]]);
  for (const u of obs.users) {
    for (const t of u.steps) {
      const key = `step.${t.step}`;
      const list = trends.get(key) ?? [];
      list.push(t.ms);
      trends.set(key, list);
    }
  }
  const wallMs = performance.now() - t0;
  const usersPerSecond = users.length / (wallMs / 1000);
  const checked = evaluateServiceThresholds(thresholds, { trends, usersPerSecond, usersFailed: obs.users.filter((u) => u.failure !== undefined).length / users.length });
  findings.push(...thresholdFindings(checked, obs.service, replay));
  return {
    service: obs.service,
    users,
    findings,
    exitCode: exitCodeFor(findings),
    ids,
    ledger: verdict.domains,
    checked: Object.fromEntries((options.checks ?? ['pattern', 'relation', 'isolation']).map((c) => [c, Object.keys(ids)])),
    driveMs,
    events: obs.users.reduce((n, u) => n + u.events.length, 0),
    latency: percentiles(times),
    steps: Object.fromEntries([...trends].filter(([k]) => k.startsWith('step.')).map(([k, ms]) => [k.slice('step.'.length), { ...percentiles(ms), count: ms.length }])),
    completed: times.length,
    usersPerSecond,
    thresholds: checked,
    wallMs,
    skipped: obs.skipped,
  };
}

/** The IDs seen, one batch per domain, with the real parent of each where its spec embeds one. */
function observedBatches(obs: ServiceObservations, catalog: DomainCatalog): ObservedBatch[] {
  const byDomain = new Map<string, ServiceObservations['ids'][number][]>();
  for (const s of obs.ids) {
    const list = byDomain.get(s.domain) ?? [];
    list.push(s);
    byDomain.set(s.domain, list);
  }
  return [...byDomain].map(([domain, seen]) => {
    const batch = createIdBatch({ batchId: `service.${domain}`, domain, ids: seen.map((s) => s.id), owners: seen.map((s) => s.owner) });
    const parentField = catalog.has(domain) ? catalog.codec(domain).spec.fields.find((f) => f.kind === 'parent') : undefined;
    const parentDomain = parentField?.kind === 'parent' ? parentField.domain : undefined;
    if (parentDomain === undefined || seen.some((s) => s.refs[parentDomain] === undefined)) return { batch, target: obs.service };
    return { batch, target: obs.service, parents: seen.map((s) => s.refs[parentDomain]!), parentDomain };
  });
}
