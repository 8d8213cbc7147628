import { createClient } from '@clickhouse/client';
import { InfrastructureError, isDomainName, UsageError, type DomainName } from '../model/index.js';
import { sqlStringLiteral } from '../ledger/index.js';
import type { DomainCatalog } from '../spec/index.js';

/** Where the ClickHouse ledger keeps a run's IDs. */
export interface ClickHousePatternOptions {
  /** `http://[user:pass@]host:port`. */
  readonly url: string;
  /** The run's database (ClickHouseLedger.database). */
  readonly database: string;
  readonly catalog: DomainCatalog;
  /** Bound on the query. Default: 120 000 ms. */
  readonly requestTimeoutMs?: number;
}

/**
 * The pattern question answered inside ClickHouse: per domain, how many stored IDs do not
 * match the domain's spec regex (`match()`, RE2), in one scan of the run's `ids` table. Only
 * spec regexes and validated domain names enter the SQL text, as literals; IDs never do.
 * Domains without a spec are left out.
 */
export async function clickhousePatternCounts(options: ClickHousePatternOptions): Promise<Map<DomainName, { ids: number; nonMatching: number }>> {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,127}$/.test(options.database)) {
    throw new UsageError('IDGATE_BAD_IDENTIFIER', `clickhousePatternCounts: database ${JSON.stringify(options.database)} is not a plain identifier`, 'pass ClickHouseLedger.database');
  }
  const domains = options.catalog.domains.filter((d) => isDomainName(d));
  const branches = domains.flatMap((d) => [`domain = ${sqlStringLiteral('clickhousePatternCounts', d)}`, `match(id, ${sqlStringLiteral('clickhousePatternCounts', options.catalog.codec(d).regex)})`]);
  const matches = branches.length === 0 ? '0' : `multiIf(${branches.join(', ')}, 1)`;
  const sql = `SELECT domain, count() AS n, countIf(NOT ${matches}) AS bad FROM ${options.database}.ids GROUP BY domain`;
  const client = createClient({ url: options.url, request_timeout: options.requestTimeoutMs ?? 120_000, keep_alive: { enabled: false } });
  try {
    const rs = await client.query({ query: sql, format: 'JSONEachRow' });
    const rows = await rs.json<{ domain: string; n: string | number; bad: string | number }>();
    const out = new Map<DomainName, { ids: number; nonMatching: number }>();
    for (const r of rows) if (options.catalog.has(r.domain)) out.set(r.domain, { ids: Number(r.n), nonMatching: Number(r.bad) });
    return out;
  } catch (e) {
    throw new InfrastructureError('IDGATE_CLICKHOUSE_FAILED', `clickhousePatternCounts: ClickHouse failed (${e instanceof Error ? e.message : String(e)})`, 'check that ClickHouse is running; the run proves nothing until it is', { cause: e });
  } finally {
    await client.close();
  }
}
