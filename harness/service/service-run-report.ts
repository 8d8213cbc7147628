import { exitCodeFor } from '../model/index.js';
import { RUN_REPORT_SCHEMA_VERSION, type LatencyRow, type RunReport } from '../report/index.js';
import type { Percentiles } from './percentiles.js';
import type { ServiceGoldenResult } from './run-service-golden.js';

/** What {@link serviceRunReport} needs beyond the result. */
export interface ServiceRunReportOptions {
  /** `golden` (or whichever command drove the service). */
  readonly command: string;
  readonly runId: string;
  /** ISO 8601. */
  readonly startedAt: string;
  readonly seed: number;
  readonly replay: string;
  readonly idgateVersion: string;
  /** The service's base URL. */
  readonly url: string;
  /** The fixture mode when idgate started the bundled service. */
  readonly fixtureMode?: string;
  readonly configFile?: string;
}

const row = (p: Percentiles, count: number): LatencyRow => {
  const n = (v: number) => (Number.isNaN(v) ? null : Math.round(v * 10) / 10);
  return { count, p50: n(p.p50), p95: n(p.p95), p99: n(p.p99), max: n(p.max) };
};

/**
 * The {@link RunReport} of a service golden path run, the shape `idgate gate` writes: IDs seen
 * per domain (as "minted"), the memory ledger's counts, findings with their owners, and the
 * `service` facts — users/s, latency percentiles for the path and per step, thresholds.
 */
export function serviceRunReport(r: ServiceGoldenResult, o: ServiceRunReportOptions): RunReport {
  const owners: Record<string, string> = {};
  for (const f of r.findings) for (const i of f.owners) owners[String(i)] = r.users[i] ?? '?';
  return {
    schemaVersion: RUN_REPORT_SCHEMA_VERSION,
    idgateVersion: o.idgateVersion,
    runId: o.runId,
    command: o.command,
    target: r.service,
    profile: 'golden',
    seed: o.seed,
    users: r.users.length,
    startedAt: o.startedAt,
    ...(o.configFile === undefined ? {} : { configFile: o.configFile }),
    replay: o.replay,
    exitCode: exitCodeFor(r.findings),
    thresholds: {},
    domains: Object.entries(r.ids).map(([domain, minted]) => ({ domain, minted, batches: 1 })),
    ledgers: [{ ledger: 'memory', domains: r.ledger.map((d) => ({ domain: d.domain, appended: d.appended, stored: d.stored, distinct: d.distinct })) }],
    checked: r.checked,
    timings: { wallMs: Math.round(r.wallMs), workloadMs: Math.round(r.driveMs), ledgerMs: {} },
    series: [],
    entropy: [],
    findings: r.findings,
    owners,
    service: {
      url: o.url,
      ...(o.fixtureMode === undefined ? {} : { fixtureMode: o.fixtureMode }),
      completed: r.completed,
      usersPerSecond: Math.round(r.usersPerSecond * 10) / 10,
      events: r.events,
      path: row(r.latency, r.completed),
      steps: Object.fromEntries(Object.entries(r.steps).map(([k, v]) => [k, row(v, v.count)])),
      thresholds: r.thresholds.map((t) => ({ metric: t.metric, expression: t.expression, measured: Number.isNaN(t.measured) ? null : Math.round(t.measured * 1000) / 1000, ok: t.ok })),
      skipped: r.skipped,
    },
  };
}
