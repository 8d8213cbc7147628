import fc from 'fast-check';
import { ioredisClient } from '../stores/index.js';
import type { Finding, ObservedBatch } from '../model/index.js';
import type { StartedTarget, TargetOutcome } from '../targets/index.js';
import { FlowBatches } from './flow-batches.js';
import type { FlowObservations } from '../model/index.js';
import type { FlowProfile } from './flow-profile.js';
import { FlowRouter } from './flow-router.js';
import { RedisUserState } from './redis-user-state.js';
import { WORKLOAD_OPS } from './run-workload.js';
import { TargetFailed, TargetPool } from './target-pool.js';
import { UserSubsetArbitrary } from './user-subset-arbitrary.js';
import { userFlow, type FlowWorld } from './user-flow.js';

/** Judges one execution of the flow: takes its batches, then its observations, and says what it found. */
export interface FlowJudge {
  readonly sink: (observed: ObservedBatch) => Promise<void>;
  findings(observations: FlowObservations): Promise<readonly Finding[]>;
}

/** Options of {@link runGoldenFlow}. */
export interface GoldenFlowOptions {
  /** Starts target instance `worker` with factory `options` (the clock faults). */
  readonly startTarget: (worker: number, options: Readonly<Record<string, unknown>>) => Promise<TargetOutcome<StartedTarget>>;
  readonly flow: FlowProfile;
  /** Target instances side by side; user i is served by worker i % workers. */
  readonly workers: number;
  /** Largest batch handed to the sink. */
  readonly batchSize: number;
  /** The run's user table; the first `flow.users` take part. */
  readonly users: readonly string[];
  /** Seeds fast-check (the scheduler's choices). */
  readonly seed: number;
  /** fast-check's path of a shrunk counterexample to replay instead of the full run. */
  readonly path?: string;
  /** The run's ledgers and streaming checks: receive the first execution's batches. */
  readonly sink: (observed: ObservedBatch) => Promise<void>;
  /** A fresh judge for each execution (the first and every shrink): decides whether it failed. */
  readonly judge: () => FlowJudge;
  /** Real Redis for the cleanup exercise; absent: cleanup is not exercised. */
  readonly redisUrl?: string;
  /** The run's own key namespace for the exercise (a-z, 0-9, _ and :). Default `idgate:flow<seed>:`. */
  readonly redisPrefix?: string;
}

/** The smallest failing interleaving fast-check found, and how to get it back. */
export interface FlowCounterexample {
  readonly seed: number;
  readonly path: string;
  /** The users it needs (indexes into the user table). */
  readonly users: readonly number[];
  /** Its interleaving: step labels in the order the scheduler released them (bounded). */
  readonly schedule: readonly string[];
  /** What the judge found in it. */
  readonly findings: readonly Finding[];
}

/** What the golden flow did and saw. */
export interface GoldenFlowFacts {
  /** The first execution's observations (for the run's cleanup and routing checks). */
  readonly observations: FlowObservations | undefined;
  /** `target-failure` findings. */
  readonly findings: readonly Finding[];
  readonly counterexample?: FlowCounterexample;
  readonly users: number;
  readonly steps: number;
  readonly idsMinted: number;
  readonly restarts: number;
  /** Executions run: 1, plus one per shrink attempt. */
  readonly executions: number;
  /** Wall time of the first execution, and of everything. */
  readonly firstMs: number;
  readonly wallMs: number;
}

const MAX_SCHEDULE = 400;

/**
 * The golden path for many users at once: every user's steps ({@link userFlow}) are
 * interleaved by fast-check's scheduler (`scheduleSequence` per user; the scheduler picks
 * which user moves next), every ID goes to `sink` (the run's ledgers and checks) and the
 * users' state to real Redis. The flow is a fast-check property: its first execution is the
 * profile's run with every user; if `judge` finds anything, fast-check shrinks the set of
 * users (the scheduler replays its choices from the same seed) to a smallest failing
 * interleaving, reported with seed and path, within `flow.shrinkTimeLimitMs`. Each execution
 * gets fresh target instances and its own Redis namespace, deleted afterwards.
 */
export async function runGoldenFlow(options: GoldenFlowOptions): Promise<GoldenFlowFacts> {
  const t0 = performance.now();
  const { flow } = options;
  const n = Math.min(flow.users, options.users.length);
  if (!Number.isInteger(flow.users) || flow.users < 1) throw new RangeError(`runGoldenFlow: flow.users must be a whole number ≥ 1, got ${String(flow.users)}; fix the profile's flow`);
  const faults = new Set(flow.faults ?? []);
  const targetOptions: Record<string, unknown> = faults.has('clock-frozen') ? { clock: 'frozen' } : faults.has('clock-backwards') ? { clock: 'backwards' } : {};
  const redis = options.redisUrl === undefined ? undefined : await ioredisClient(options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
  await redis?.connect();
  const basePrefix = options.redisPrefix ?? `idgate:flow${options.seed}:`;
  const findings: Finding[] = [];
  let first: { observations: FlowObservations; ms: number; minted: number; restarts: number; steps: number } | undefined;
  let lastFailure: { users: readonly number[]; schedule: readonly string[]; findings: readonly Finding[] } | undefined;
  let executions = 0;
  let deadline = Number.POSITIVE_INFINITY;

  const execute = async (s: fc.Scheduler, subset: readonly number[]): Promise<boolean> => {
    if (executions > 0 && performance.now() > deadline) return true; // out of shrinking time: stop here
    const e = executions++;
    const isFirst = e === 0;
    const tExec = performance.now();
    const judge = options.judge();
    let pool: TargetPool;
    try {
      pool = await TargetPool.start(options.workers, (w) => options.startTarget(w, targetOptions));
    } catch (error) {
      if (!(error instanceof TargetFailed)) throw error;
      return true; // a target that does not start is the run's finding, not an interleaving's
    }
    const state = redis === undefined || !pool.first.capabilities.cleanupPatterns ? undefined : new RedisUserState(redis, `${basePrefix}x${e}:`);
    const batches = new FlowBatches();
    const router = new FlowRouter();
    let done = 0;
    const world: FlowWorld = {
      pool,
      batches,
      router,
      state,
      parse: pool.first.capabilities.parse,
      requestsPerRun: flow.requestsPerRun ?? 3,
      toolsPerAgent: flow.toolsPerAgent ?? 2,
      messagesPerUser: flow.messagesPerUser ?? 3,
      onUserDone: async () => {
        done++;
        if (faults.has('restart-mid-flow') && done === Math.ceil(subset.length / 2)) await pool.restart(0);
        if (state !== undefined && done === Math.ceil(subset.length / 2)) await state.snapshot();
      },
    };
    let steps = 0;
    const sequences = subset.map((u, k) => {
      const list = userFlow(world, u, options.users[u]!, k % options.workers, WORKLOAD_OPS[u % WORKLOAD_OPS.length]!);
      steps += list.length;
      return s.scheduleSequence(list);
    });
    let failed = false;
    try {
      await s.waitFor(Promise.all(sequences.map((q) => q.task)));
      failed = sequences.some((q) => q.faulty);
      if (state !== undefined) await state.snapshot();
      for (const { worker, pending } of batches.drain(isFirst ? 'golden' : `golden.x${e}`, options.batchSize)) {
        const domain = pending.batch.domain;
        const valid = pool.first.capabilities.validate ? await pool.call(worker, (t) => t.validate(domain, pending.batch.ids)) : undefined;
        const views = pool.first.capabilities.parse ? await pool.call(worker, (t) => t.parse(domain, pending.batch.ids)) : undefined;
        const observed: ObservedBatch = { ...pending, target: pool.first.name, valid, views };
        await judge.sink(observed);
        if (isFirst) await options.sink(observed);
      }
    } catch (error) {
      if (!(error instanceof TargetFailed)) throw error;
      failed = true;
    } finally {
      await pool.stop();
      await state?.drop();
    }
    if (failed || pool.findings.length > 0) {
      if (isFirst) findings.push(...pool.findings);
      return true; // target failures are reported as such; they are not shrunk
    }
    const observations: FlowObservations = {
      target: pool.first.name,
      users: subset,
      ...(world.parse ? { routed: router.routed } : {}),
      ...(state === undefined ? {} : { cleanup: state.observations() }),
      skipped: [
        ...(world.parse ? [] : ["routing: the target has no parser, so a server cannot read a run's thread"]),
        ...(redis === undefined ? ['cleanup: no Redis was given'] : pool.first.capabilities.cleanupPatterns ? [] : ['cleanup: the target declares no cleanup patterns']),
      ],
    };
    if (isFirst) {
      first = { observations, ms: performance.now() - tExec, minted: batches.minted, restarts: pool.restarts, steps };
      deadline = performance.now() + (flow.shrinkTimeLimitMs ?? 15_000);
    }
    const found = await judge.findings(observations);
    if (found.length === 0) return true;
    lastFailure = { users: subset, schedule: s.report().slice(0, MAX_SCHEDULE).map((r) => `${r.label} ${r.status}`), findings: found };
    return false;
  };

  try {
    const property = fc.asyncProperty(fc.scheduler(), new UserSubsetArbitrary(Array.from({ length: n }, (_, i) => i)), execute);
    const details = await fc.check(property, { seed: options.seed, numRuns: 1, ...(options.path === undefined ? {} : { path: options.path, endOnFailure: true }) });
    if (details.failed && lastFailure === undefined) throw details.errorInstance instanceof Error ? details.errorInstance : new Error(`runGoldenFlow: the flow failed outside the target: ${String(details.errorInstance)}; see the cause`);
    const counterexample: FlowCounterexample | undefined =
      details.failed && lastFailure !== undefined && details.counterexamplePath !== null ? { seed: options.seed, path: details.counterexamplePath, ...lastFailure } : undefined;
    return {
      observations: first?.observations,
      findings,
      ...(counterexample === undefined ? {} : { counterexample }),
      users: n,
      steps: first?.steps ?? 0,
      idsMinted: first?.minted ?? 0,
      restarts: first?.restarts ?? 0,
      executions,
      firstMs: first?.ms ?? 0,
      wallMs: performance.now() - t0,
    };
  } finally {
    redis?.disconnect();
  }
}
