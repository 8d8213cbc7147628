import { ExitCode } from '../../model/index.js';
import { redactUrl } from '../../stores/index.js';
import type { CommandSpec, FlagValues } from '../flags.js';
import { cleanClickHouse } from './clean-clickhouse.js';
import { cleanContainers } from './clean-containers.js';
import { cleanRedis } from './clean-redis.js';
import type { CleanOutcome } from './leftover.js';

/** `idgate clean`: lists, and with --yes removes, what crashed runs left in idgate's own namespaces. */
export const cleanCommand: CommandSpec = {
  name: 'clean',
  summary: "list (or with --yes remove) leftovers of crashed runs: Redis keys idgate:<run>:*, ClickHouse databases idgate_<run>, idgate's containers",
  flags: [
    { name: 'yes', type: 'boolean', description: 'remove what is listed; without it nothing is deleted (a dry run)' },
    { name: 'redis-url', type: 'string', description: 'Redis to clean (default: IDGATE_REDIS_URL; skipped when neither is set)' },
    { name: 'clickhouse-url', type: 'string', description: 'ClickHouse to clean (default: IDGATE_CLICKHOUSE_URL; skipped when neither is set)' },
    { name: 'min-idle', type: 'number', default: 60, description: 'minutes a namespace must be untouched before it counts as left over (a run may still be going)' },
    { name: 'containers', type: 'boolean', default: true, description: 'also handle containers labelled idgate=true whose idgate process is gone (Docker engines; --containers=false to skip)' },
  ],
};

/** Runs `idgate clean`; 0 when done (or nothing found), 3 when a store fails. */
export async function runClean(flags: FlagValues, out: (line: string) => void): Promise<number> {
  const remove = flags.yes === true;
  const minIdleSeconds = Math.max(0, (flags['min-idle'] as number) * 60);
  const redisUrl = (flags['redis-url'] as string | undefined) ?? process.env.IDGATE_REDIS_URL;
  const clickhouseUrl = (flags['clickhouse-url'] as string | undefined) ?? process.env.IDGATE_CLICKHOUSE_URL;
  const show = (label: string, o: CleanOutcome) => {
    if (o.found.length === 0) out(`  ${label}: nothing left over`);
    const removed = new Set(o.removed);
    for (const l of o.found) {
      const idle = l.idleSeconds === undefined ? 'idle time unknown' : `idle ${Math.round(l.idleSeconds / 60)} min`;
      const fresh = l.idleSeconds !== undefined && l.idleSeconds < minIdleSeconds;
      out(`  ${label}: ${l.what}, ${idle} — ${removed.has(l) ? 'removed' : fresh ? 'kept (recently written: a run may be going)' : remove ? 'kept' : 'would be removed'}`);
    }
  };
  out(`idgate clean: ${remove ? 'removing' : 'dry run, listing'} leftovers idle for ${flags['min-idle'] as number} min or more`);
  if (redisUrl === undefined && clickhouseUrl === undefined && flags.containers === false) {
    out('idgate clean: nothing to look at\n  → give --redis-url and/or --clickhouse-url (or set IDGATE_REDIS_URL / IDGATE_CLICKHOUSE_URL)');
    return ExitCode.Usage;
  }
  if (redisUrl !== undefined) show(`redis ${redactUrl(redisUrl)}`, await cleanRedis({ url: redisUrl, remove, minIdleSeconds }));
  else out('  redis: skipped (no --redis-url or IDGATE_REDIS_URL; servers idgate starts itself are removed with their data)');
  if (clickhouseUrl !== undefined) show(`clickhouse ${redactUrl(clickhouseUrl)}`, await cleanClickHouse({ url: clickhouseUrl, remove, minIdleSeconds }));
  else out('  clickhouse: skipped (no --clickhouse-url or IDGATE_CLICKHOUSE_URL)');
  if (flags.containers !== false) {
    const c = await cleanContainers(remove);
    if (c === undefined) out("  containers: skipped (no Docker engine configured; idgate's podman containers end with their run, or at the next start)");
    else show('containers', c);
  }
  if (!remove) out('  → nothing was deleted; run idgate clean --yes to remove what is marked "would be removed"');
  return ExitCode.Pass;
}
