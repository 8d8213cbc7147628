import { createClient } from '@clickhouse/client';
import { sqlIdentifier } from '../../ledger/index.js';
import { InfrastructureError } from '../../model/index.js';
import { redactUrl } from '../../stores/index.js';
import { RUN_ID_PATTERN, type CleanOutcome, type Leftover } from './leftover.js';

/** Options of {@link cleanClickHouse}. */
export interface CleanClickHouseOptions {
  /** `http://[user:pass@]host:port`. Required. */
  readonly url: string;
  /** Drop what was found; otherwise only list it. Default: false. */
  readonly remove?: boolean;
  /** Leave databases changed within this many seconds (a run may still be going). Default: 3 600. */
  readonly minIdleSeconds?: number;
}

/**
 * Finds the databases idgate runs left in ClickHouse: `idgate_<run id>` with the ledger's run-ID
 * format, nothing else. Idle time is the newest part or table change. With `remove`, drops them.
 * Written for ClickHouse 18.16 and later (no query parameters; names are checked before they
 * reach SQL text).
 */
export async function cleanClickHouse(options: CleanClickHouseOptions): Promise<CleanOutcome> {
  const minIdle = options.minIdleSeconds ?? 3600;
  const client = createClient({ url: options.url, request_timeout: 30_000 });
  try {
    const rows = async (sql: string) => (await (await client.query({ query: sql, format: 'JSONEachRow' })).json<Record<string, string | number>>());
    const dbs = (await rows("SELECT name FROM system.databases WHERE substring(name, 1, 7) = 'idgate_'")).map((r) => String(r.name)).filter((n) => RUN_ID_PATTERN.test(n.slice(7)));
    const idle = new Map<string, number>();
    const note = (db: string, v: number) => idle.set(db, Math.min(idle.get(db) ?? Infinity, v));
    for (const r of await rows("SELECT database, toUInt64(now()) - toUInt64(max(modification_time)) AS idle FROM system.parts WHERE substring(database, 1, 7) = 'idgate_' GROUP BY database")) note(String(r.database), Number(r.idle));
    for (const r of await rows("SELECT database, toUInt64(now()) - toUInt64(max(metadata_modification_time)) AS idle FROM system.tables WHERE substring(database, 1, 7) = 'idgate_' GROUP BY database")) note(String(r.database), Number(r.idle));
    const found: Leftover[] = dbs.map((db) => ({ store: 'clickhouse', name: db.slice(7), what: `database ${db}`, idleSeconds: idle.get(db) }));
    const removable = found.filter((l) => l.idleSeconds === undefined || l.idleSeconds >= minIdle);
    if (options.remove !== true) return { found, removed: [] };
    for (const l of removable) await client.command({ query: `DROP DATABASE IF EXISTS ${sqlIdentifier('idgate clean', `idgate_${l.name}`)}` });
    return { found, removed: removable };
  } catch (e) {
    throw new InfrastructureError('IDGATE_CLEAN_CLICKHOUSE', `idgate clean: ClickHouse at ${redactUrl(options.url)} failed (${e instanceof Error ? e.message : String(e)})`, 'check the URL (--clickhouse-url or IDGATE_CLICKHOUSE_URL) and that the server is up');
  } finally {
    await client.close();
  }
}
