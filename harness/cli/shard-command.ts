import { hostname } from 'node:os';
import { ClickHouseLedger, RedisLedger, validateRunId, type Ledger } from '../ledger/index.js';
import { ExitCode, UsageError, type DomainName } from '../model/index.js';
import { formatFinding, redactText } from '../report/index.js';
import { defaultCatalog } from '../spec/index.js';
import { createUserTable, parseShardSpec, runWorkload, type Profile } from '../workload/index.js';
import { expectedIdsOf } from './open-ledgers.js';
import { LEDGER_IN_FLIGHT } from './run-gate.js';
import { resolveTarget, startTarget } from './resolve-target.js';

/** Where a sharded run's stores are: the environment, as `--stores url` reads it. */
export const SHARD_STORE_ENV = { redis: 'IDGATE_REDIS_URL', clickhouse: 'IDGATE_CLICKHOUSE_URL' } as const;

/** What `idgate gate|nightly --shard i/N` needs beyond the gate's own reading of its flags. */
export interface ShardRunOptions {
  readonly command: string;
  readonly profile: Profile;
  readonly targetText: string;
  readonly seed: number;
  /** `--shard` as given. */
  readonly shard: string;
  /** `--run-id` as given. */
  readonly runId: string | undefined;
  /** `--stores` as given. */
  readonly stores: string | undefined;
  /** Environment holding the store URLs. Default: process.env. */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * One shard of a run spread over processes or machines (`idgate gate --shard i/N --run-id <id>
 * --seed <s>`): mints this shard's users (user u belongs to shard u mod N) through the target,
 * writes every batch to the run's shared Redis (required: it holds the shard markers; standalone
 * or Cluster) and ClickHouse (when IDGATE_CLICKHOUSE_URL is set), and marks the shard complete
 * with its counts. The checks run afterwards, inside the stores, in `idgate verify`. The stores
 * keep the run's data (Redis keys expire after a day). Exit 0 when the shard is complete, 1 when
 * the target failed, 3 when a store failed (the shard then stays incomplete).
 */
export async function runShardCommand(o: ShardRunOptions, out: (line: string) => void): Promise<number> {
  const { command, profile } = o;
  const env = o.env ?? process.env;
  const shard = parseShardSpec(command, o.shard);
  if (o.runId === undefined) {
    throw new UsageError('IDGATE_SHARD_RUN_ID', `idgate ${command}: --shard needs --run-id: every shard of a run writes under one run ID`, `write --shard ${o.shard} --run-id nightly_20260101 (the same for every shard)`);
  }
  const runId = validateRunId(`idgate ${command} --run-id`, o.runId);
  if (o.stores !== undefined && o.stores !== 'url') {
    throw new UsageError('IDGATE_SHARD_STORES', `idgate ${command}: --shard writes to shared stores, but --stores is ${JSON.stringify(o.stores)}`, `leave --stores out (or write --stores url) and set ${SHARD_STORE_ENV.redis} (and ${SHARD_STORE_ENV.clickhouse}) for every shard`);
  }
  const redisUrl = nonEmpty(env[SHARD_STORE_ENV.redis]);
  const clickhouseUrl = nonEmpty(env[SHARD_STORE_ENV.clickhouse]);
  if (redisUrl === undefined) {
    throw new UsageError('IDGATE_SHARD_REDIS', `idgate ${command}: --shard needs the run's shared Redis in ${SHARD_STORE_ENV.redis}`, `set ${SHARD_STORE_ENV.redis}=redis://host:6379 (a standalone Redis or any master of a Redis Cluster) for every shard`);
  }
  const spec = resolveTarget(o.targetText);
  const catalog = defaultCatalog();
  const domains = profile.domains ?? catalog.domains;
  const expectedIds = expectedIdsOf(profile, domains.length);
  const users = createUserTable(profile.users, o.seed);
  const label = `idgate ${command} --shard ${shard.index}/${shard.count}`;
  out(redactText(`${label}: run ${runId}, target ${o.targetText}, profile ${profile.name} (${profile.idsPerDomain} IDs per domain over all shards, ${profile.users} users), seed ${o.seed}, ledgers redis${clickhouseUrl === undefined ? '' : ', clickhouse'}`));

  const t0 = performance.now();
  const ledgers: Ledger[] = [];
  let redis: RedisLedger | undefined;
  const appended = new Map<string, Map<DomainName, number>>();
  try {
    redis = await RedisLedger.open({ url: redisUrl, runId, expectedIds, maxExamples: profile.maxExamples, shard });
    ledgers.push(redis);
    if (clickhouseUrl !== undefined) ledgers.push(await ClickHouseLedger.open({ url: clickhouseUrl, runId, maxExamples: profile.maxExamples, shard }));
    // Everything that decides which IDs a shard mints, or how they are stored, must be shared.
    await redis.claimShard({
      seed: String(o.seed),
      profile: profile.name,
      idsPerDomain: String(profile.idsPerDomain),
      users: String(profile.users),
      workers: String(profile.workers),
      domains: domains.join(','),
      target: o.targetText,
      expectedIds: String(expectedIds),
      clickhouse: clickhouseUrl === undefined ? 'no' : 'yes',
    });
    for (const l of ledgers) appended.set(l.kind, new Map());
    const workload = await runWorkload({
      startTarget: (worker) => startTarget(spec, worker),
      maxInFlight: LEDGER_IN_FLIGHT,
      catalog,
      profile,
      users,
      shard,
      sink: async ({ batch }) => {
        await Promise.all(ledgers.map((l) => l.append(batch)));
        for (const l of ledgers) {
          const m = appended.get(l.kind)!;
          m.set(batch.domain, (m.get(batch.domain) ?? 0) + batch.ids.length);
        }
      },
    });
    // The ClickHouse ledger writes behind: its rows must be acknowledged before the shard says complete.
    await Promise.all(ledgers.map((l) => l.flush()));
    const ids = workload.domains.reduce((a, d) => a + d.minted, 0);
    const wallMs = performance.now() - t0;
    const byLedger = Object.fromEntries([...appended].filter(([k]) => k !== 'redis').map(([k, m]) => [k, Object.fromEntries(m)]));
    await redis.completeShard(byLedger, {
      ids: String(ids),
      wallMs: String(Math.round(wallMs)),
      idsPerSecond: String(Math.round(ids / (wallMs / 1000))),
      targetFailures: String(workload.findings.length),
      host: hostname(),
      masters: String(redis.masters),
    });
    for (const f of workload.findings) out(redactText(formatFinding(f, { owners: (i) => users[i], maxItems: 3 })));
    out(`${label}: shard complete — ${ids} IDs in ${(wallMs / 1000).toFixed(1)} s (${Math.round(ids / (wallMs / 1000))} IDs/s${redis.masters > 1 ? `, Redis Cluster of ${redis.masters} masters` : ''})${workload.findings.length > 0 ? `, ${workload.findings.length} target failure(s)` : ''}`);
    out(`  when every shard is complete: idgate verify --run-id ${runId} --shards ${shard.count}`);
    return workload.findings.length > 0 ? ExitCode.Findings : ExitCode.Pass;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    out(redactText(`${label}: the shard did not complete (${e instanceof Error ? e.message : String(e)}); it stays incomplete and idgate verify will say so — start the whole run again under a fresh --run-id`));
    return ExitCode.Infrastructure;
  } finally {
    // Sharded ledgers keep the run's data at close; this only disconnects.
    await Promise.all(ledgers.map((l) => l.close().catch(() => undefined)));
  }
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}
