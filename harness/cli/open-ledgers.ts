import { ClickHouseLedger, RedisLedger, type Ledger } from '../ledger/index.js';
import { UsageError } from '../model/index.js';
import type { Profile } from '../workload/index.js';

/** Where the store ledgers go. */
export interface OpenLedgersOptions {
  readonly redisUrl?: string;
  readonly clickhouseUrl?: string;
  /** Names the run's namespace in both stores. Default: a random ID. */
  readonly runId?: string;
  /**
   * IDs the run will append, to size the Redis ledger's buckets so they stay small listpacks
   * (too few buckets and Redis leaves the compact encoding: far more memory per ID).
   * Default: the profile's IDs per domain × 15 domains, plus a fifth for contexts and flows.
   */
  readonly expectedIds?: number;
}

/** The IDs a profile appends over `domains` domains, with a fifth more for contexts and flows. */
export function expectedIdsOf(profile: Profile, domains: number): number {
  return Math.ceil(profile.idsPerDomain * domains * 1.2);
}

/**
 * Opens the Redis and ClickHouse ledgers a profile names (the memory ledger is runGate's own).
 * A store the profile needs without a URL is a usage error; if one fails to open, the others
 * are closed before the error is thrown.
 */
export async function openLedgers(profile: Profile, options: OpenLedgersOptions): Promise<Ledger[]> {
  const out: Ledger[] = [];
  try {
    for (const kind of profile.ledgers) {
      if (kind === 'memory') continue;
      const url = kind === 'redis' ? options.redisUrl : options.clickhouseUrl;
      if (url === undefined) {
        throw new UsageError('IDGATE_LEDGER_URL', `openLedgers: profile ${profile.name} writes to ${kind} but no ${kind} server was given`, `start stores (idgate does so itself unless --stores url) or set IDGATE_${kind.toUpperCase()}_URL`);
      }
      out.push(kind === 'redis' ? await RedisLedger.open({ url, runId: options.runId, maxExamples: profile.maxExamples, expectedIds: options.expectedIds ?? expectedIdsOf(profile, profile.domains?.length ?? 15) }) : await ClickHouseLedger.open({ url, runId: options.runId, maxExamples: profile.maxExamples }));
    }
    return out;
  } catch (e) {
    await Promise.all(out.map((l) => l.close().catch(() => undefined)));
    throw e;
  }
}
