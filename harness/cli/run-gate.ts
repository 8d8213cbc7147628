import { CHECKS, FLOW_CHECKS, clickhousePatternCounts, createFlowJudge, ledgerFindings, patternAgreementFindings, runChecksHere, startCheckThread, validateCheckNames, type CheckContext, type CheckResults, type CheckRunner } from '../checks/index.js';
import { ClickHouseLedger, MemoryLedger, type Ledger, type LedgerVerdict } from '../ledger/index.js';
import { ExitCode, exitCodeFor, type DomainName, type Finding, type ObservedBatch } from '../model/index.js';
import { defaultCatalog, type DomainCatalog } from '../spec/index.js';
import { createUserTable, runGoldenFlow, runWorkload, type GoldenFlowFacts, type Profile, type WorkloadFacts } from '../workload/index.js';
import type { IngestSample } from '../report/index.js';
import type { StartedTarget } from '../targets/index.js';
import { IngestSeries, SILENT_PROGRESS, type GateProgress } from './progress/index.js';
import { expectedIdsOf } from './open-ledgers.js';
import { replayCommand, startTarget, type TargetSpec } from './resolve-target.js';

/**
 * Batches the gate and `idgate shard` keep in flight between the target and the ledgers: deep
 * enough that Redis is never left waiting on one batch's round trips (bench/: 70–84% of
 * redis-cli --pipe at 4, 88–95% at 16), bounded so memory stays flat.
 */
export const LEDGER_IN_FLIGHT = 16;

/** Options of {@link runGate}. */
export interface RunGateOptions {
  readonly target: TargetSpec;
  /** A second system that must read the target's IDs the same way (its validator and parser). */
  readonly peer?: TargetSpec;
  readonly profile: Profile;
  /** Seeds the user table and everything the workload chooses. */
  readonly seed: number;
  /** Domains and their specs. Default: the default catalog. */
  readonly catalog?: DomainCatalog;
  /** Ledgers beyond the memory ledger (which is always first, the reference). */
  readonly ledgers?: readonly Ledger[];
  /** Streaming checks to run, by name. Default: every check in CHECKS. */
  readonly checks?: readonly string[];
  /** Lines about events worth one (a ledger that failed). Default: none. */
  readonly log?: (line: string) => void;
  /** Shows IDs minted per domain, written per ledger and verification as the run goes. Default: nothing shown. */
  readonly progress?: GateProgress;
  /** The command that replays the run, quoted in findings. Default: built from target, profile and seed. */
  readonly replay?: string;
  /** Redis for the golden flow's cleanup exercise (under the run's own key prefix); absent: cleanup is not exercised. */
  readonly redisUrl?: string;
}

/** Everything a gate run found and measured. */
export interface GateResult {
  readonly target: string;
  readonly profile: string;
  readonly seed: number;
  readonly users: number;
  readonly findings: readonly Finding[];
  readonly verdicts: readonly LedgerVerdict[];
  readonly workload: WorkloadFacts | undefined;
  /** Per check name, the domains it looked at. */
  readonly checked: Readonly<Record<string, readonly DomainName[]>>;
  readonly replay: string;
  readonly exitCode: ExitCode;
  readonly timings: { readonly wallMs: number; readonly ledgerMs: Readonly<Record<string, number>> };
  /** The golden flow, when the profile has one: what it did (without its observations). */
  readonly flow?: Omit<GoldenFlowFacts, 'observations'> & { readonly skipped: readonly string[] };
  /** IDs minted and acknowledged per ledger over time (a few hundred samples at most). */
  readonly series: readonly IngestSample[];
  /** Per-domain rows of checks that keep a table for reports (the entropy check's `table()`). */
  readonly tables: Readonly<Record<string, readonly unknown[]>>;
}

/**
 * One gate run: starts the target, mints the profile's IDs through it, writes every batch to
 * every ledger and streams it through the checks, then asks the ledgers for their verdicts.
 * Findings of the target are returned; a ledger that fails is an `infrastructure` finding,
 * never a pass.
 */
export async function runGate(options: RunGateOptions): Promise<GateResult> {
  const t0 = performance.now();
  const log = options.log ?? (() => undefined);
  const progress = options.progress ?? SILENT_PROGRESS;
  const series = new IngestSeries();
  const mintedBy = new Map<DomainName, number>();
  const writtenBy = new Map<string, number>();
  const sample = (force = false) => {
    let minted = 0;
    for (const n of mintedBy.values()) minted += n;
    // The ClickHouse ledger writes behind: its line counts what ClickHouse acknowledged.
    const acknowledged = new Map(writtenBy);
    for (const l of ledgers) {
      if (!(l instanceof ClickHouseLedger)) continue;
      let n = 0;
      for (const d of mintedBy.keys()) n += l.acknowledged(d);
      acknowledged.set(l.kind, n);
    }
    series.record(performance.now() - t0, minted, acknowledged, force);
  };
  const catalog = options.catalog ?? defaultCatalog();
  const users = createUserTable(options.profile.users, options.seed);
  const replay = options.replay ?? replayCommand(options.target, options.profile.name, options.seed);
  // Sized once for the whole run: growing the table costs a fifth of the ledger's time.
  const memory = new MemoryLedger({ maxExamples: options.profile.maxExamples, expectedIds: expectedIdsOf(options.profile, (options.profile.domains ?? catalog.domains).length) });
  const ledgers: Ledger[] = [memory, ...(options.ledgers ?? [])];
  for (const l of ledgers) writtenBy.set(l.kind, 0);
  progress.start({ domains: options.profile.domains ?? catalog.domains, idsPerDomain: options.profile.idsPerDomain, ledgers: ledgers.map((l) => l.kind) });
  const ledgerMs: Record<string, number> = {};
  const findings: Finding[] = [];
  const checked: Record<string, DomainName[]> = {};
  let workload: WorkloadFacts | undefined;
  let flow: GateResult['flow'];
  let verdicts: LedgerVerdict[] = [];

  const names = options.checks ?? [...CHECKS.keys()];
  validateCheckNames(names, 'runGate');
  for (const n of names) checked[n] = [];
  let checks: CheckRunner | undefined;
  // The checks' context, kept for the golden flow's judge and flow checks.
  let context: CheckContext | undefined;
  const createChecks = (target: StartedTarget) => {
    const data = {
      catalog: catalog.definition,
      users,
      extractionRules: target.extractionRules,
      maxExamples: options.profile.maxExamples,
      replay: { seed: options.seed, command: replay },
      entropy: { volumePerDay: options.profile.entropyVolumePerDay, days: options.profile.entropyDays, threshold: options.profile.entropyThreshold },
    };
    context = { ...data, catalog, replay: () => data.replay };
    checks = options.profile.checkThread ? startCheckThread(names, data) : runChecksHere(names, context);
  };

  let ledgerFailure: Finding | undefined;
  const sink = async (observed: ObservedBatch) => {
    await checks!.observe(observed);
    for (const n of names) if (!checked[n]!.includes(observed.batch.domain)) checked[n]!.push(observed.batch.domain);
    await Promise.all(
      ledgers.map(async (l) => {
        const s = performance.now();
        try {
          await l.append(observed.batch);
          writtenBy.set(l.kind, (writtenBy.get(l.kind) ?? 0) + observed.batch.ids.length);
          progress.written(l.kind, observed.batch.domain, observed.batch.ids.length);
        } catch (e) {
          if (ledgerFailure === undefined) log(`runGate: the ${l.kind} ledger failed: ${e instanceof Error ? e.message : String(e)}`);
          ledgerFailure ??= infrastructureFinding(l.kind, e);
          throw e;
        } finally {
          ledgerMs[l.kind] = (ledgerMs[l.kind] ?? 0) + performance.now() - s;
        }
      }),
    );
    sample();
  };

  try {
    workload = await runWorkload({
      startTarget: (worker) => startTarget(options.target, worker),
      maxInFlight: LEDGER_IN_FLIGHT,
      startPeer: options.peer === undefined ? undefined : () => startTarget(options.peer!, 0),
      onStarted: createChecks,
      catalog,
      profile: options.profile,
      users,
      sink,
      onProgress: (domain, minted, total) => {
        mintedBy.set(domain, minted);
        progress.minted(domain, minted, total);
      },
    });
    findings.push(...workload.findings);
    if (options.profile.flow !== undefined && workload.findings.length === 0) flow = await goldenFlow(options.profile.flow);
  } catch (e) {
    findings.push(ledgerFailure ?? infrastructureFinding('workload', e));
  }
  // The checks report even when a store failed: their findings still describe the target.
  let results: CheckResults | undefined;
  try {
    results = await checks?.finish();
  } catch (e) {
    // A check thread that failed mid-run has already failed the workload with the same error.
    if (!findings.some((f) => f.kind === 'infrastructure')) findings.push(infrastructureFinding('checks', e));
  } finally {
    await checks?.close();
  }
  if (!findings.some((f) => f.kind === 'infrastructure')) {
    // The ClickHouse ledger writes behind: a write its store refused after the append resolved
    // shows here, named by its ledger.
    await Promise.all(
      ledgers.map(async (l) => {
        const s = performance.now();
        try {
          await l.flush();
        } catch (e) {
          ledgerFailure ??= infrastructureFinding(l.kind, e);
        } finally {
          ledgerMs[l.kind] = (ledgerMs[l.kind] ?? 0) + performance.now() - s;
        }
      }),
    );
    if (ledgerFailure !== undefined) findings.push(ledgerFailure);
    sample(true);
  }
  if (!findings.some((f) => f.kind === 'infrastructure')) {
    try {
      progress.verifying(ledgers.map((l) => l.kind), false);
      verdicts = await Promise.all(ledgers.map((l) => l.verify()));
      progress.verifying(ledgers.map((l) => l.kind), true);
      findings.push(...ledgerFindings(verdicts).map((f) => ({ ...f, replay: { seed: options.seed, command: replay } })));
      // Where ClickHouse can answer the pattern question in SQL too, the answers must agree.
      const pattern = results?.findings.get('pattern');
      for (const l of ledgers) {
        if (pattern !== undefined && l instanceof ClickHouseLedger) findings.push(...patternAgreementFindings(pattern, await clickhousePatternCounts(l, catalog), l.kind));
      }
    } catch (e) {
      findings.push(infrastructureFinding('verify', e));
    }
  }
  for (const f of results?.findings.values() ?? []) findings.push(...f);
  await Promise.all(ledgers.map((l) => l.close().catch(() => undefined)));
  sample(true);
  progress.stop();
  return done(findings);

  /** The golden flow after the bulk workload: same sink (ledgers, checks), then the flow checks. */
  async function goldenFlow(profileFlow: NonNullable<Profile['flow']>): Promise<GateResult['flow']> {
    const spec = options.target;
    // Set when the first target instance started, which the bulk workload before the flow needs.
    const ctx = context!;
    const facts = await runGoldenFlow({
      startTarget: (worker, targetOptions) => startTarget(spec, worker, undefined, targetOptions),
      flow: profileFlow,
      workers: options.profile.workers,
      batchSize: options.profile.batchSize,
      users,
      seed: options.seed,
      sink,
      judge: () => createFlowJudge(ctx, names),
      redisUrl: options.redisUrl,
      redisPrefix: `idgate:flow${options.seed}r${Date.now().toString(36)}:`,
    });
    findings.push(...facts.findings);
    if (facts.observations !== undefined) for (const f of FLOW_CHECKS.values()) findings.push(...f(ctx).judge(facts.observations));
    const cx = facts.counterexample;
    for (const f of cx?.findings ?? []) {
      findings.push({ ...f, message: `minimal interleaving (${cx!.users.length} user(s)): ${f.message}`, replay: { seed: cx!.seed, path: cx!.path, command: replay }, evidence: { ...f.evidence, users: cx!.users, schedule: cx!.schedule } });
    }
    const { observations, ...rest } = facts;
    return { ...rest, skipped: observations?.skipped ?? [] };
  }

  function done(all: Finding[]): GateResult {
    return {
      target: workload?.targetName ?? options.target.label,
      profile: options.profile.name,
      seed: options.seed,
      users: users.length,
      findings: all,
      verdicts,
      workload,
      checked,
      replay,
      exitCode: exitCodeFor(all),
      timings: { wallMs: performance.now() - t0, ledgerMs },
      ...(flow === undefined ? {} : { flow }),
      series: series.points(),
      tables: results?.tables ?? {},
    };
  }
}

function infrastructureFinding(source: string, e: unknown): Finding {
  return {
    kind: 'infrastructure',
    source,
    message: `${source}: ${e instanceof Error ? e.message : String(e)}`,
    ids: [],
    owners: [],
    evidence: { error: e instanceof Error ? e.name : typeof e },
  };
}
