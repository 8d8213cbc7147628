import { ledgerFindings } from '../checks/index.js';
import { ClickHouseLedger, RedisLedger, validateRunId, type LedgerVerdict, type ShardMarker } from '../ledger/index.js';
import { ExitCode, exitCodeFor, UsageError, type DomainName, type Finding } from '../model/index.js';
import { formatFinding, redactText } from '../report/index.js';
import { createUserTable, MAX_SHARDS } from '../workload/index.js';
import type { CommandSpec, FlagValues } from './flags.js';
import { SHARD_STORE_ENV } from './shard-command.js';

/** `idgate verify`: the checks of a sharded run, inside its stores, once every shard finished. */
export const verifyCommand: CommandSpec = {
  name: 'verify',
  summary: 'check a sharded run (gate|nightly --shard i/N) inside its stores once every shard is complete',
  flags: [
    { name: 'run-id', type: 'string', description: 'the run ID every shard was given with --run-id (required)' },
    { name: 'shards', type: 'number', description: 'how many shards the run has: the N of --shard i/N (required)' },
    { name: 'keep', type: 'boolean', description: "keep the run's Redis keys and ClickHouse database after a conclusive verify (default: delete them; an incomplete run is always kept)" },
    { name: 'max-findings', type: 'number', default: 10, description: 'findings listed at most' },
  ],
};

/**
 * Runs `idgate verify --run-id <id> --shards N` against the stores in IDGATE_REDIS_URL (and
 * IDGATE_CLICKHOUSE_URL when the shards wrote to ClickHouse): exit 3 naming every shard that is
 * missing or incomplete; otherwise confirms cross-shard repeats by bytes, asks Redis and ClickHouse
 * for duplicates, multi-owner IDs and lost writes over the whole run (they must agree), and
 * exits 1 on findings (or target failures a shard reported), 0 on a pass.
 */
export async function runVerify(flags: FlagValues, out: (line: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const api = 'idgate verify';
  const rawRunId = flags['run-id'] as string | undefined;
  if (rawRunId === undefined) throw new UsageError('IDGATE_VERIFY_RUN_ID', `${api}: --run-id is required`, 'write --run-id <the ID every shard was given>');
  const runId = validateRunId(`${api} --run-id`, rawRunId);
  const shards = flags.shards as number | undefined;
  if (shards === undefined || !Number.isInteger(shards) || shards < 1 || shards > MAX_SHARDS) {
    throw new UsageError('IDGATE_VERIFY_SHARDS', `${api}: --shards must be the run's shard count, 1 to ${MAX_SHARDS}${shards === undefined ? '' : `, got ${shards}`}`, 'write --shards 3 for a run of --shard 0/3, 1/3 and 2/3');
  }
  const redisUrl = env[SHARD_STORE_ENV.redis]?.trim();
  if (redisUrl === undefined || redisUrl === '') throw new UsageError('IDGATE_VERIFY_REDIS', `${api}: the run's Redis is not given`, `set ${SHARD_STORE_ENV.redis} to the Redis the shards wrote to`);
  const maxFindings = flags['max-findings'] as number;

  const redis = await RedisLedger.attach({ url: redisUrl, runId });
  let clickhouse: ClickHouseLedger | undefined;
  let conclusive = false;
  try {
    const settings = await redis.runSettings();
    const markers = await redis.shardMarkers(Math.max(shards, Number(settings.shards ?? 0)));
    if (settings.shards !== undefined && Number(settings.shards) !== shards) {
      throw new UsageError('IDGATE_VERIFY_SHARDS', `${api}: run ${runId} was started with ${settings.shards} shards, not ${shards}`, `write --shards ${settings.shards}`);
    }
    const missing = markers.flatMap((m, i) => (m === undefined ? [i] : []));
    const running = markers.flatMap((m, i) => (m?.state === 'running' ? [i] : []));
    if (missing.length > 0 || running.length > 0) {
      const parts = [missing.length > 0 ? `shard(s) ${missing.map((i) => `${i}/${shards}`).join(', ')} never started` : '', running.length > 0 ? `shard(s) ${running.map((i) => `${i}/${shards}`).join(', ')} started but never completed` : ''].filter(Boolean);
      out(`${api}: run ${runId} is incomplete: ${parts.join('; ')} — nothing was checked. Run the missing shard(s) (a failed shard: the whole run again under a fresh --run-id), then verify again.`);
      return ExitCode.Infrastructure;
    }
    const complete = markers as ShardMarker[];
    const usesClickHouse = settings.clickhouse === 'yes';
    const clickhouseUrl = env[SHARD_STORE_ENV.clickhouse]?.trim();
    if (usesClickHouse && (clickhouseUrl === undefined || clickhouseUrl === '')) {
      throw new UsageError('IDGATE_VERIFY_CLICKHOUSE', `${api}: the shards of run ${runId} wrote to ClickHouse, which is not given`, `set ${SHARD_STORE_ENV.clickhouse} to the ClickHouse the shards wrote to`);
    }
    const sum = (ledger: string) => {
      const m = new Map<DomainName, number>();
      for (const s of complete) for (const [d, n] of Object.entries(s.appended[ledger] ?? {})) m.set(d, (m.get(d) ?? 0) + n);
      return m;
    };
    redis.expect(sum('redis'));
    if (usesClickHouse) clickhouse = await ClickHouseLedger.attach({ url: clickhouseUrl!, runId, appended: sum('clickhouse') });
    const pending = await redis.crossShardPending();
    if (pending > 0) {
      if (clickhouse === undefined) {
        out(`${api}: run ${runId} holds ${pending} repeat(s) of an ID another shard wrote first, and no ClickHouse to confirm them by bytes — nothing was concluded (a fingerprint match alone never counts as a duplicate). Run the shards with ${SHARD_STORE_ENV.clickhouse} set.`);
        return ExitCode.Infrastructure;
      }
      const ch = clickhouse;
      await redis.resolveCrossShard((ids) => ch.shardsHolding(ids));
    }
    const verdicts: LedgerVerdict[] = [await redis.verify(), ...(clickhouse === undefined ? [] : [await clickhouse.verify()])];
    const findings: Finding[] = ledgerFindings(verdicts);
    const targetFailures = complete.reduce((a, s) => a + Number(s.facts.targetFailures ?? 0), 0);
    const ids = complete.reduce((a, s) => a + Number(s.facts.ids ?? 0), 0);
    let code: number = exitCodeFor(findings);
    if (code === ExitCode.Pass && targetFailures > 0) code = ExitCode.Findings;
    const users = settings.users !== undefined && settings.seed !== undefined ? createUserTable(Number(settings.users), Number(settings.seed)) : [];
    out(`${api}: run ${runId}: ${shards} shard(s) complete, ${ids} IDs; ledgers ${verdicts.map((v) => v.ledger).join(', ')}${pending > 0 ? `; ${pending} cross-shard repeat(s) confirmed by bytes` : ''}`);
    out(`  each ledger's own verdict: ${verdicts.map((v) => `${v.ledger} ${v.findings.length} finding(s)`).join(', ')}`);
    for (const s of complete) out(`  shard ${s.index}/${shards}: ${s.facts.ids ?? '?'} IDs in ${(Number(s.facts.wallMs ?? 0) / 1000).toFixed(1)} s (${s.facts.idsPerSecond ?? '?'} IDs/s) on ${s.facts.host ?? '?'}${Number(s.facts.targetFailures ?? 0) > 0 ? `, ${s.facts.targetFailures} target failure(s): see that shard's output` : ''}`);
    out(`${api}: ${code === ExitCode.Pass ? 'PASS' : 'FAIL'} — ${findings.length} finding(s)${findings.length > 0 ? ` (${[...new Set(findings.map((f) => f.kind))].join(', ')})` : ''}`);
    for (const f of findings.slice(0, Math.max(0, maxFindings))) out(redactText(formatFinding(f, { owners: (i) => users[i], maxItems: 3 }).split('\n').map((l) => `  ${l}`).join('\n')));
    if (findings.length > maxFindings) out(`  … and ${findings.length - maxFindings} more finding(s)`);
    conclusive = code === ExitCode.Pass || code === ExitCode.Findings;
    return code;
  } finally {
    if (conclusive && flags.keep !== true) {
      redis.deleteOnClose();
      clickhouse?.deleteOnClose();
    }
    await redis.close();
    await clickhouse?.close();
  }
}
