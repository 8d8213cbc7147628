import { InfrastructureError, UsageError } from '../model/index.js';
import { RespErrorReply, type RespConnection, type RespReply } from './resp-connection.js';
import { encodeCommand } from './resp-encoder.js';

/** Where one shard of a sharded run stands, as its marker in Redis says. */
export interface ShardMarker {
  /** The shard's index, 0-based. */
  readonly index: number;
  /** `running` from its start until it has written everything, then `complete`. */
  readonly state: 'running' | 'complete';
  /** IDs each store ledger of the shard was handed, per domain: `{ redis: { session: 1000 }, clickhouse: … }`. */
  readonly appended: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Other facts the shard recorded (timings, IDs per second, target), as strings. */
  readonly facts: Readonly<Record<string, string>>;
}

/**
 * Claims the run's settings and shard `index`, atomically: the first shard of a run writes the
 * settings every shard must share (shard count, seed, profile, sizes); each later one must bring
 * the same, and a shard index may start once. KEYS: meta hash, the shard's marker hash. ARGV: TTL,
 * then field/value pairs. Returns `{ 'ok' }`, `{ 'taken', state }` or `{ 'differs', field, theirs }`.
 */
const CLAIM_SCRIPT = `
local ttl = tonumber(ARGV[1])
local state = redis.call('HGET', KEYS[2], 'state')
if state then return { 'taken', state } end
for i = 2, #ARGV, 2 do
  local theirs = redis.call('HGET', KEYS[1], ARGV[i])
  if theirs and theirs ~= ARGV[i + 1] then return { 'differs', ARGV[i], theirs } end
end
for i = 2, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call('HSET', KEYS[2], 'state', 'running')
redis.call('EXPIRE', KEYS[1], ttl)
redis.call('EXPIRE', KEYS[2], ttl)
return { 'ok' }
`;

const text = (r: RespReply | undefined): string => (Buffer.isBuffer(r) ? r.toString('utf8') : typeof r === 'string' || typeof r === 'number' ? String(r) : JSON.stringify(r));

async function call(conn: RespConnection, args: readonly string[], what: string): Promise<RespReply> {
  const [r] = await conn.request(encodeCommand(args), 1);
  if (r instanceof RespErrorReply) throw new InfrastructureError('IDGATE_REDIS_STATE', `RedisLedger: Redis refused to ${what} (${r.message})`, 'check the Redis server log; with a Redis Cluster, check that no slot moved during the run');
  return r ?? null;
}

/**
 * Starts shard `index` of a run whose bookkeeping lives under `base`: a different setting than the
 * run's first shard had, or a shard index that already started, is a usage error naming the fix.
 */
export async function claimShard(conn: RespConnection, base: string, index: number, settings: Readonly<Record<string, string>>, ttlSeconds: number): Promise<void> {
  const args = ['EVAL', CLAIM_SCRIPT, '2', `${base}meta`, `${base}shard:${index}`, String(ttlSeconds), ...Object.entries(settings).flat()];
  const r = await call(conn, args, 'claim the shard');
  const [verdict, a, b] = Array.isArray(r) ? r.map((x) => text(x)) : [text(r)];
  if (verdict === 'taken') {
    throw new UsageError('IDGATE_SHARD_TAKEN', `idgate: shard ${index} of this run already started (it is ${a ?? '?'})`, 'give every shard its own --shard i/N, and start a run again under a fresh --run-id');
  }
  if (verdict === 'differs') {
    throw new UsageError('IDGATE_SHARD_SETTINGS', `idgate: this shard runs with ${a ?? '?'} ${JSON.stringify(settings[a ?? ''])}, but the run's first shard ran with ${JSON.stringify(b)}`, 'start every shard of a run with the same --shard N, --seed, --profile, --ids, --users and --target');
  }
  if (verdict !== 'ok') throw new InfrastructureError('IDGATE_REDIS_STATE', `RedisLedger: claiming shard ${index} answered ${JSON.stringify(r)}`, 'check the Redis server log');
}

/** Marks shard `index` complete with what each ledger was handed and other facts (one HSET: all or nothing). */
export async function completeShard(conn: RespConnection, base: string, index: number, appended: Readonly<Record<string, Readonly<Record<string, number>>>>, facts: Readonly<Record<string, string>>, ttlSeconds: number): Promise<void> {
  const fields: string[] = [];
  for (const [ledger, perDomain] of Object.entries(appended)) for (const [d, n] of Object.entries(perDomain)) fields.push(`a:${ledger}:${d}`, String(n));
  for (const [k, v] of Object.entries(facts)) fields.push(`f:${k}`, v);
  await call(conn, ['HSET', `${base}shard:${index}`, ...fields, 'state', 'complete'], 'mark the shard complete');
  await call(conn, ['EXPIRE', `${base}shard:${index}`, String(ttlSeconds)], 'keep the shard marker');
}

/** The run's settings (what its first shard claimed); empty when no shard ever started. */
export async function readRunSettings(conn: RespConnection, base: string): Promise<Record<string, string>> {
  return pairs(await call(conn, ['HGETALL', `${base}meta`], 'read the run settings'));
}

/** The markers of shards `0..count-1`; `undefined` where a shard never started. */
export async function readShardMarkers(conn: RespConnection, base: string, count: number): Promise<(ShardMarker | undefined)[]> {
  const replies = await conn.request(
    Array.from({ length: count }, (_, i) => encodeCommand(['HGETALL', `${base}shard:${i}`])),
    count,
  );
  return replies.map((r, index) => {
    if (r instanceof RespErrorReply) throw new InfrastructureError('IDGATE_REDIS_STATE', `RedisLedger: Redis refused to read shard ${index}'s marker (${r.message})`, 'check the Redis server log');
    const h = pairs(r);
    if (h.state === undefined) return undefined;
    const appended: Record<string, Record<string, number>> = {};
    const facts: Record<string, string> = {};
    for (const [k, v] of Object.entries(h)) {
      if (k.startsWith('a:')) {
        const [, ledger, ...rest] = k.split(':');
        (appended[ledger!] ??= {})[rest.join(':')] = Number(v);
      } else if (k.startsWith('f:')) facts[k.slice(2)] = v;
    }
    return { index, state: h.state === 'complete' ? 'complete' : 'running', appended, facts };
  });
}

function pairs(r: RespReply): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(r)) return out;
  for (let i = 0; i + 1 < r.length; i += 2) out[text(r[i])] = text(r[i + 1]);
  return out;
}
