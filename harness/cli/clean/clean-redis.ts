import type { Redis } from 'ioredis';
import { InfrastructureError } from '../../model/index.js';
import { ioredisClient, redactUrl } from '../../stores/index.js';
import { RUN_ID_PATTERN, type CleanOutcome, type Leftover } from './leftover.js';

/** Options of {@link cleanRedis}. */
export interface CleanRedisOptions {
  /** `redis://[user:pass@]host:port[/db]`. Required. */
  readonly url: string;
  /** Remove what was found; otherwise only list it. Default: false. */
  readonly remove?: boolean;
  /** Leave runs written to within this many seconds (a run may still be going). Default: 3 600. */
  readonly minIdleSeconds?: number;
}

/**
 * Finds the key namespaces idgate runs left in Redis: keys `idgate:<run id>:…` whose run ID has
 * the ledger's format, nothing else. A run is left alone while any of its keys was touched
 * within `minIdleSeconds` (OBJECT IDLETIME). With `remove`, UNLINKs the rest, key by key as SCAN
 * finds them under that run's own prefix.
 */
export async function cleanRedis(options: CleanRedisOptions): Promise<CleanOutcome> {
  const minIdle = options.minIdleSeconds ?? 3600;
  const redis = await ioredisClient(options.url, { lazyConnect: true, connectTimeout: 5000, maxRetriesPerRequest: 1, retryStrategy: () => null, enableOfflineQueue: false });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    const runs = new Map<string, { keys: number; idle: number | undefined }>();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', 'idgate:*', 'COUNT', 1000);
      cursor = next;
      for (const key of keys) {
        const runId = key.split(':')[1] ?? '';
        if (!RUN_ID_PATTERN.test(runId) || !key.startsWith(`idgate:${runId}:`)) continue;
        const run = runs.get(runId) ?? { keys: 0, idle: undefined };
        run.keys++;
        const idle = await idleOf(redis, key);
        if (idle !== undefined) run.idle = run.idle === undefined ? idle : Math.min(run.idle, idle);
        runs.set(runId, run);
      }
    } while (cursor !== '0');
    const found: Leftover[] = [...runs].map(([name, r]) => ({ store: 'redis', name, what: `${r.keys} key(s) idgate:${name}:*`, idleSeconds: r.idle }));
    const removable = found.filter((l) => l.idleSeconds === undefined || l.idleSeconds >= minIdle);
    if (options.remove !== true) return { found, removed: [] };
    for (const l of removable) {
      let c = '0';
      do {
        const [next, keys] = await redis.scan(c, 'MATCH', `idgate:${l.name}:*`, 'COUNT', 1000);
        c = next;
        if (keys.length > 0) await redis.unlink(...keys);
      } while (c !== '0');
    }
    return { found, removed: removable };
  } catch (e) {
    throw new InfrastructureError('IDGATE_CLEAN_REDIS', `idgate clean: Redis at ${redactUrl(options.url)} failed (${e instanceof Error ? e.message : String(e)})`, 'check the URL (--redis-url or IDGATE_REDIS_URL) and that the server is up');
  } finally {
    redis.disconnect();
  }
}

async function idleOf(redis: Redis, key: string): Promise<number | undefined> {
  try {
    const v = await redis.object('IDLETIME', key);
    return typeof v === 'number' ? v : undefined;
  } catch {
    // An LFU maxmemory-policy refuses IDLETIME: the age is then unknown.
    return undefined;
  }
}
