import type { DomainName } from '../model/index.js';
import { UsageError } from '../model/index.js';
import type { FlowProfile } from './flow-profile.js';

/** The ledgers a profile writes to. */
export type ProfileLedger = 'memory' | 'redis' | 'clickhouse';

/**
 * A profile is data: how many IDs and users, which ledgers, how long properties may run, and the
 * thresholds checks use. `ci`, `gate`, `golden` and `nightly` are built in (DESIGN.md);
 * configurations override fields.
 */
export interface Profile {
  readonly name: string;
  readonly description: string;
  /** IDs minted per domain. */
  readonly idsPerDomain: number;
  /** Users in the run's user table. */
  readonly users: number;
  /** Domains to mint; default every domain of the catalog. */
  readonly domains?: readonly DomainName[];
  /** Largest single generate request. */
  readonly batchSize: number;
  /**
   * Target instances minting side by side, each told its worker index; users are spread over
   * them. Counters that restart per worker, or RNGs seeded alike, show up as duplicates.
   */
  readonly workers: number;
  /** Replace worker 0 by a fresh instance halfway through the first domain (a deploy or crash). */
  readonly restartMidRun: boolean;
  /** Coupled thread/run/request contexts asked per user (`userContext`). */
  readonly contextsPerUser: number;
  /** Ledgers written to. The memory ledger is always the reference. */
  readonly ledgers: readonly ProfileLedger[];
  /** fast-check runs per property, and the time after which a property is interrupted (and fails). */
  readonly propertyRuns: number;
  readonly propertyTimeLimitMs: number;
  /** Example IDs quoted per finding list. */
  readonly maxExamples: number;
  /** The golden-path flow run after the bulk workload (users interleaved by fast-check's scheduler); absent: none. */
  readonly flow?: FlowProfile;
  /** Production IDs per domain per day the entropy check projects to. Default 10⁹. */
  readonly entropyVolumePerDay: number;
  /** Days of production the IDs must stay unique over. Default 365. */
  readonly entropyDays: number;
  /** The largest acceptable chance of any collision over that volume. Default 10⁻⁶. */
  readonly entropyThreshold: number;
  /**
   * Run the streaming checks in a worker thread, on the second core, while the main thread mints
   * and feeds the ledgers. On for `gate` and `nightly`, whose main thread is the bottleneck; off
   * for the small profiles, where starting the thread costs more than it saves.
   */
  readonly checkThread: boolean;
}

const base = { batchSize: 10_000, contextsPerUser: 3, maxExamples: 20, workers: 2, restartMidRun: true, entropyVolumePerDay: 1e9, entropyDays: 365, entropyThreshold: 1e-6, checkThread: false } as const;

/** The built-in profiles, with DESIGN.md's sizes. */
export const PROFILES: Readonly<Record<'ci' | 'gate' | 'golden' | 'nightly', Profile>> = {
  ci: {
    ...base,
    name: 'ci',
    description: "the project's own tests: 50k IDs per domain, 100 users",
    idsPerDomain: 50_000,
    users: 100,
    ledgers: ['memory'],
    propertyRuns: 50,
    propertyTimeLimitMs: 10_000,
  },
  gate: {
    ...base,
    name: 'gate',
    description: 'every commit: 1M IDs per domain, all domains, three ledgers',
    idsPerDomain: 1_000_000,
    users: 100,
    batchSize: 20_000,
    ledgers: ['memory', 'redis', 'clickhouse'],
    checkThread: true,
    propertyRuns: 100,
    propertyTimeLimitMs: 20_000,
  },
  golden: {
    ...base,
    name: 'golden',
    description: 'pre-merge: 500 concurrent users through the full flow',
    idsPerDomain: 50_000,
    users: 500,
    contextsPerUser: 5,
    ledgers: ['memory', 'redis'],
    flow: { users: 500, requestsPerRun: 3, toolsPerAgent: 2, messagesPerUser: 3, faults: ['restart-mid-flow', 'clock-backwards'], shrinkTimeLimitMs: 15_000 },
    propertyRuns: 100,
    propertyTimeLimitMs: 20_000,
  },
  nightly: {
    ...base,
    name: 'nightly',
    description: 'scheduled: about 100M IDs in total, three ledgers',
    idsPerDomain: 6_700_000,
    users: 1000,
    batchSize: 50_000,
    ledgers: ['memory', 'redis', 'clickhouse'],
    checkThread: true,
    propertyRuns: 1000,
    propertyTimeLimitMs: 120_000,
  },
};

/** The built-in profile `name`, with `overrides` applied; a usage error for unknown names or bad numbers. */
export function resolveProfile(name: string, overrides: Partial<Omit<Profile, 'name'>> = {}): Profile {
  const found = (PROFILES as Record<string, Profile | undefined>)[name];
  if (found === undefined) {
    throw new UsageError('IDGATE_UNKNOWN_PROFILE', `resolveProfile: no profile named ${JSON.stringify(name)}`, `use one of ${Object.keys(PROFILES).join(', ')}`);
  }
  const p: Profile = { ...found, ...overrides };
  for (const key of ['idsPerDomain', 'users', 'batchSize', 'workers', 'propertyRuns', 'propertyTimeLimitMs', 'maxExamples'] as const) {
    const v = p[key];
    if (!Number.isInteger(v) || v < 1) {
      throw new UsageError('IDGATE_BAD_PROFILE', `resolveProfile: profile ${name}: ${key} must be a whole number ≥ 1, got ${String(v)}`, `fix ${key} in the profile overrides`);
    }
  }
  if (!Number.isInteger(p.contextsPerUser) || p.contextsPerUser < 0) {
    throw new UsageError('IDGATE_BAD_PROFILE', `resolveProfile: profile ${name}: contextsPerUser must be a whole number ≥ 0`, 'fix contextsPerUser in the profile overrides');
  }
  for (const key of ['entropyVolumePerDay', 'entropyDays'] as const) {
    if (!Number.isFinite(p[key]) || p[key] <= 0) {
      throw new UsageError('IDGATE_BAD_PROFILE', `resolveProfile: profile ${name}: ${key} must be a number > 0, got ${String(p[key])}`, `fix ${key} in the profile overrides`);
    }
  }
  if (typeof p.checkThread !== 'boolean') {
    throw new UsageError('IDGATE_BAD_PROFILE', `resolveProfile: profile ${name}: checkThread must be true or false, got ${String(p.checkThread)}`, 'fix checkThread in the profile overrides');
  }
  if (!(p.entropyThreshold > 0 && p.entropyThreshold < 1)) {
    throw new UsageError('IDGATE_BAD_PROFILE', `resolveProfile: profile ${name}: entropyThreshold must lie strictly between 0 and 1, got ${String(p.entropyThreshold)}`, 'fix entropyThreshold in the profile overrides (e.g. 1e-6)');
  }
  return p;
}
