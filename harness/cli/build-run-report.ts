import { exitCodeFor, type Finding } from '../model/index.js';
import { entropyRows, RUN_REPORT_SCHEMA_VERSION, type BaselineOutcome, type FlowRunFacts, type RunReport } from '../report/index.js';
import type { Profile } from '../workload/index.js';
import { idgateVersion } from './idgate-version.js';
import type { GateResult } from './run-gate.js';

/** What {@link buildRunReport} needs beyond the gate's result. */
export interface BuildRunReportOptions {
  readonly result: GateResult;
  readonly profile: Profile;
  /** `gate`, `golden` or `nightly`. */
  readonly command: string;
  readonly runId: string;
  /** ISO 8601. */
  readonly startedAt: string;
  /** The run's user table (owner index → user ID). */
  readonly users: readonly string[];
  /** Findings that fail the run after the baseline. Default: every finding. */
  readonly failing?: readonly Finding[];
  readonly baseline?: BaselineOutcome;
  readonly configFile?: string;
}

/** The {@link RunReport} of a gate run: facts, counts per ledger, timings, series, findings. */
export function buildRunReport(o: BuildRunReportOptions): RunReport {
  const r = o.result;
  const owners: Record<string, string> = {};
  for (const f of r.findings) for (const i of f.owners) owners[String(i)] = o.users[i] ?? '?';
  const tables = Object.values(r.tables ?? {}).flat().filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null);
  return {
    schemaVersion: RUN_REPORT_SCHEMA_VERSION,
    idgateVersion: idgateVersion(),
    runId: o.runId,
    command: o.command,
    target: r.target,
    profile: r.profile,
    seed: r.seed,
    users: r.users,
    startedAt: o.startedAt,
    ...(o.configFile === undefined ? {} : { configFile: o.configFile }),
    replay: r.replay,
    exitCode: exitCodeFor(o.failing ?? r.findings),
    thresholds: { entropyVolumePerDay: num(o.profile, 'entropyVolumePerDay', 1e9), entropyDays: num(o.profile, 'entropyDays', 365), entropyThreshold: num(o.profile, 'entropyThreshold', 1e-6) },
    domains: r.workload?.domains.map((d) => ({ domain: d.domain, minted: d.minted, batches: d.batches })) ?? [],
    ledgers: r.verdicts.map((v) => ({ ledger: v.ledger, domains: v.domains.map((d) => ({ domain: d.domain, appended: d.appended, stored: d.stored, distinct: d.distinct })) })),
    checked: r.checked,
    timings: { wallMs: Math.round(r.timings.wallMs), workloadMs: Math.round(r.workload?.wallMs ?? 0), ledgerMs: Object.fromEntries(Object.entries(r.timings.ledgerMs).map(([k, v]) => [k, Math.round(v)])) },
    series: r.series ?? [],
    entropy: entropyRows(r.findings, tables),
    findings: r.findings,
    owners,
    ...(o.baseline === undefined ? {} : { baseline: o.baseline }),
    ...(r.flow === undefined ? {} : { flow: flowFacts(r.flow) }),
  };
}

/** The golden flow's facts for the report: what it did, not its observations or findings (those are in `findings`). */
function flowFacts(f: NonNullable<GateResult['flow']>): FlowRunFacts {
  const cx = f.counterexample;
  return {
    users: f.users,
    steps: f.steps,
    idsMinted: f.idsMinted,
    restarts: f.restarts,
    executions: f.executions,
    firstMs: Math.round(f.firstMs),
    wallMs: Math.round(f.wallMs),
    usersPerSecond: f.firstMs > 0 ? (f.users * 1000) / f.firstMs : 0,
    skipped: f.skipped,
    ...(cx === undefined ? {} : { counterexample: { seed: cx.seed, path: cx.path, users: cx.users, schedule: cx.schedule } }),
  };
}

/** A numeric profile field that may not exist in every idgate version. */
function num(profile: Profile, key: string, fallback: number): number {
  const v = (profile as unknown as Record<string, unknown>)[key];
  return typeof v === 'number' ? v : fallback;
}
