import { randomUUID } from 'node:crypto';
import { defaultCatalog, type DomainCatalog } from '../spec/index.js';
import { clickhouseScanSql, type ClickHouseScanTarget } from './clickhouse-scan-sql.js';
import { FindingBuckets } from './finding-buckets.js';
import { ReadOnlyClickHouse } from './read-only-clickhouse.js';
import type { ScanProgress, ScanResult } from './scan-result.js';

/** Options of {@link scanClickHouse}. */
export interface ClickHouseScanOptions extends ClickHouseScanTarget {
  /** `http://[user:password@]host:8123`. Required. */
  readonly url: string;
  /** Default: {@link defaultCatalog}. */
  readonly catalog?: DomainCatalog;
  /** The table holds an ID in many rows (an event table): skip the duplicate check. Default: false. */
  readonly allowRepeats?: boolean;
  /** `max_memory_usage` per query, bytes; GROUP BY spills to disk at half. Default: 2 GiB. */
  readonly maxMemoryUsage?: number;
  /** IDs quoted per finding (at most 10). Default: 10. */
  readonly maxExamples?: number;
  /** Called about once a second while a query runs. Default: none. */
  readonly onProgress?: (p: ScanProgress) => void;
}

type Example = [string, string | number, string[]];

/**
 * Checks an existing ClickHouse table read-only, inside ClickHouse: every query runs under
 * `readonly=2` ({@link ReadOnlyClickHouse}) and only findings travel back — `pattern` (an ID not
 * matching its domain's regex, via `match()`), `duplicate` (an ID in two rows), `multi-owner`
 * (an ID with two owners) and `isolation` (a user tag carried by two owners).
 */
export async function scanClickHouse(o: ClickHouseScanOptions): Promise<ScanResult> {
  const t0 = performance.now();
  const catalog = o.catalog ?? defaultCatalog();
  const sql = clickhouseScanSql(o, catalog); // usage errors before connecting
  const max = Math.min(10, o.maxExamples ?? 10);
  const ch = await ReadOnlyClickHouse.open(o.url, o.maxMemoryUsage === undefined ? {} : { maxMemoryUsage: o.maxMemoryUsage });
  const users: string[] = [];
  const index = new Map<string, number>();
  const ownerIndex = (u: string) => {
    let i = index.get(u);
    if (i === undefined) {
      i = users.length;
      users.push(u);
      index.set(u, i);
    }
    return i;
  };
  const buckets = new FindingBuckets('clickhouse-scan', max);
  const stats: Record<string, number> = {};
  try {
    const [c] = await ch.rows<{ n: string }>(sql.count);
    const rows = Number(c?.n ?? 0);
    stats.rows = rows;
    // Passes over the table: pattern, the hash pre-grouping and the exact grouping, one per tag domain.
    // pattern, candidates, groups (two reads), one per tagged domain.
    const passes = 4 + sql.tags.length;
    let doneRows = 0;
    const run = async <T>(query: string, weight: number): Promise<T[]> => {
      // Our own UUID, never data: safe in SQL text.
      const queryId = `idgate-scan-${randomUUID()}`;
      const report = async () => {
        const [p] = await ch.rows<{ r: string }>(`SELECT read_rows AS r FROM system.processes WHERE query_id = '${queryId}'`).catch(() => []);
        o.onProgress?.({ done: Math.min(rows * passes, doneRows + Number(p?.r ?? 0)), total: rows * passes, unit: 'rows', elapsedMs: performance.now() - t0 });
      };
      const timer = o.onProgress === undefined ? undefined : setInterval(() => void report(), 1000);
      try {
        return await ch.rows<T>(query, queryId);
      } finally {
        if (timer !== undefined) clearInterval(timer);
        doneRows += rows * weight;
        o.onProgress?.({ done: Math.min(rows * passes, doneRows), total: rows * passes, unit: 'rows', elapsedMs: performance.now() - t0 });
      }
    };

    const parsed = new Map<string, number>();
    for (const r of await run<{ d: string; total: string; bad: string; ids: string[]; owners: string[] }>(sql.pattern, 1)) {
      const bad = Number(r.bad);
      parsed.set(r.d, Number(r.total) - bad);
      r.ids.forEach((id, i) => {
        const owner = r.owners[i];
        const owners = owner === undefined ? [] : [ownerIndex(owner)];
        if (r.d === '') buckets.add('pattern', undefined, 'unknown-domain', id, owners, 'starts with no known domain prefix', i === 0 ? bad : 0);
        else buckets.add('pattern', r.d, 'parse', id, owners, `does not match the ${r.d} regex`, i === 0 ? bad : 0);
      });
    }
    // No hash in two rows: no ID is, so the exact grouping (two more reads of the table) is skipped.
    const [cand] = await run<{ n: string }>(sql.candidates, 1);
    stats.candidateHashes = Number(cand?.n ?? 0);
    const groups = stats.candidateHashes === 0 ? [] : await run<{ d: string; dups: string; multi: string; dupEx: Example[]; multiEx: Example[] }>(sql.groups, 2);
    if (stats.candidateHashes === 0) doneRows += rows * 2;
    for (const r of groups) {
      const domain = r.d === '' ? undefined : r.d;
      if (o.allowRepeats !== true) {
        r.dupEx.forEach(([id, n, owners], i) => buckets.add('duplicate', domain, 'rows', id, owners.map(ownerIndex), `in ${n} rows`, i === 0 ? Number(r.dups) : 0));
      }
      r.multiEx.forEach(([id, , owners], i) => buckets.add('multi-owner', domain, 'rows', id, owners.map(ownerIndex), `held by ${owners.map((x) => JSON.stringify(x)).join(' and ')}`, i === 0 ? Number(r.multi) : 0));
    }
    for (const t of sql.tags) {
      const [r] = await run<{ n: string; ex: Example[] }>(t.sql, 1);
      r?.ex.forEach(([tag, id, owners], i) => buckets.add('isolation', t.domain, 'shared-user-tag', String(id), owners.map(ownerIndex), `tag ${JSON.stringify(tag)} stands for users ${owners.map((x) => JSON.stringify(x)).join(' and ')}`, i === 0 ? Number(r.n) : 0));
    }
    const what: Record<string, string> = {
      duplicate: 'are in two or more rows: one ID minted (or stored) twice',
      'multi-owner': 'are held by two or more users',
      isolation: 'carry a user tag that another user also carries',
    };
    const findings = buckets.findings(
      (kind, domain, rule, count) => {
        if (kind === 'pattern' && rule === 'unknown-domain') return `${count} ID(s) start with no known domain prefix`;
        if (kind !== 'pattern') return `${domain ?? '(no domain)'}: ${count} ID(s) ${what[kind] ?? kind}`;
        const ok = parsed.get(domain ?? '') ?? 0;
        return `${domain}: ${count} ID(s) do not parse under the ${domain} spec${ok > 0 ? `; ${ok} others do parse, so the table holds two layouts` : ''}`;
      },
      (kind, domain) => (kind === 'pattern' && domain !== undefined ? { parsed: parsed.get(domain) ?? 0, regex: catalog.codec(domain).regex } : {}),
    );
    return { findings, users, stats, domains: sql.domains, wallMs: performance.now() - t0 };
  } finally {
    await ch.close();
  }
}
