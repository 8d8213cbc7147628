import { UsageError, type DomainName } from '../model/index.js';
import type { DomainCatalog } from '../spec/index.js';
import { sqlIdentifier } from '../ledger/index.js';
import { sqlStringLiteral } from '../ledger/index.js';
import { tagTokenIndex } from './tag-token-index.js';

const API = 'idgate scan clickhouse';

/** What the ClickHouse scan reads: a table, its ID and owner columns, and the domains. */
export interface ClickHouseScanTarget {
  /** `db.table`. */
  readonly table: string;
  readonly idColumn: string;
  readonly ownerColumn: string;
  /** Every ID in the column is of this domain. Default: each ID's domain from its prefix. */
  readonly domain?: DomainName;
}

/** The SQL of one ClickHouse scan: every statement a SELECT, every name validated. */
export interface ClickHouseScanSql {
  /** Rows in the table: `n`. */
  readonly count: string;
  /** Per domain `d` (`''`: no known prefix): rows `total`, rows not matching the regex `bad`, up to 10 `ids`/`owners` of them. */
  readonly pattern: string;
  /** `n`: hashes (cityHash64 of the ID) in more than one row; 0 means no ID is in two rows, and {@link groups} need not run. */
  readonly candidates: string;
  /** Per domain `d`: IDs in more than one row `dups`, IDs with more than one owner `multi`, up to 10 examples of each as (id, rows, owners). */
  readonly groups: string;
  /** Per domain with a locatable user tag: `n` tags on two or more IDs of two or more owners (one ID under two owners is multi-owner), up to 10 (tag, id, owners). */
  readonly tags: readonly { readonly domain: DomainName; readonly sql: string }[];
  /** The domains checked. */
  readonly domains: readonly DomainName[];
}

/**
 * Builds the scan's SQL from the catalog. Table and column names go through `sqlIdentifier`;
 * domain names, prefixes and regexes (from the one RE2 escaper) through {@link sqlStringLiteral};
 * IDs never enter SQL text. Duplicates and multi-owner IDs are grouped on `cityHash64(id)` first,
 * so memory holds 8 bytes per row before the exact grouping of the candidates.
 */
export function clickhouseScanSql(t: ClickHouseScanTarget, catalog: DomainCatalog): ClickHouseScanSql {
  const dot = t.table.indexOf('.');
  if (dot < 0) throw new UsageError('IDGATE_SCAN_TABLE', `${API}: --table ${JSON.stringify(t.table)} is not <database>.<table>`, 'name the database too, e.g. --table analytics.sessions');
  const table = `${sqlIdentifier(API, t.table.slice(0, dot))}.${sqlIdentifier(API, t.table.slice(dot + 1))}`;
  const id = sqlIdentifier(API, t.idColumn);
  const owner = sqlIdentifier(API, t.ownerColumn);
  const lit = (s: string) => sqlStringLiteral(API, s);
  let domains: DomainName[];
  let dExpr: string;
  if (t.domain !== undefined) {
    catalog.codec(t.domain); // an unknown domain is a usage error naming the known ones
    domains = [t.domain];
    dExpr = lit(t.domain);
  } else {
    const prefixed = catalog.domains
      .map((d) => catalog.codec(d))
      .flatMap((c) => {
        const f = c.spec.fields[0];
        return f?.kind === 'literal' && f.value !== '' ? [{ d: c.domain, prefix: `${f.value}${c.spec.separator}` }] : [];
      })
      .sort((a, b) => b.prefix.length - a.prefix.length);
    domains = prefixed.map((p) => p.d);
    dExpr = `multiIf(${prefixed.map((p) => `startsWith(id, ${lit(p.prefix)}), ${lit(p.d)}`).join(', ')}, '')`;
  }
  const okExpr = t.domain !== undefined ? `match(id, ${lit(catalog.codec(t.domain).regex)})` : `multiIf(${domains.map((d) => `d = ${lit(d)}, match(id, ${lit(catalog.codec(d).regex)})`).join(', ')}, 0)`;
  const src = `(SELECT ${id} AS id, toString(${owner}) AS o, ${dExpr} AS d FROM ${table})`;
  const pattern = `SELECT d, count() AS total, countIf(NOT ok) AS bad, groupArrayIf(10)(id, NOT ok) AS ids, groupArrayIf(10)(o, NOT ok) AS owners
    FROM (SELECT id, o, d, ${okExpr} AS ok FROM ${src}) GROUP BY d ORDER BY d`;
  const repeatedHashes = `SELECT cityHash64(${id}) AS h, count() AS c FROM ${table} GROUP BY h HAVING c > 1`;
  const candidates = `SELECT count() AS n FROM (${repeatedHashes})`;
  const grouped = `SELECT id, any(d) AS dom, count() AS c, uniqExact(o) AS no, arraySlice(arraySort(groupUniqArray(o)), 1, 10) AS owners
    FROM ${src} WHERE cityHash64(id) IN (SELECT h FROM (${repeatedHashes}))
    GROUP BY id HAVING c > 1`;
  const groups = `SELECT dom AS d, countIf(c > 1) AS dups, countIf(no > 1) AS multi, groupArrayIf(10)(tuple(id, c, owners), c > 1) AS dupEx, groupArrayIf(10)(tuple(id, c, owners), no > 1) AS multiEx
    FROM (${grouped}) GROUP BY dom ORDER BY dom`;
  const tags = domains.flatMap((d) => {
    const codec = catalog.codec(d);
    const k = tagTokenIndex(codec, catalog);
    if (k === undefined) return [];
    // Distinct (tag, owner) pairs first, keyed by one cityHash64(tag, owner) (18.16 groups
    // String keys, or two UInt64 keys, 3-5x slower than one UInt64: 20 s and 15 s against 4 s for
    // 10M rows), each with the least and greatest cityHash64 of its IDs: a tag is shared when it
    // has two owners and two distinct IDs, i.e. min != max over its pairs. A 64-bit collision
    // could hide a finding with a probability of about pairs² / 2^65 (1M pairs: 3e-8).
    const sql = `SELECT count() AS n, groupArray(10)(tuple(tag, anyId, owners)) AS ex FROM (
      SELECT any(tag1) AS tag, any(oneId) AS anyId, count() AS no, min(lo) AS lo2, max(hi) AS hi2, arraySlice(arraySort(groupArray(o1)), 1, 10) AS owners
      FROM (
        SELECT any(th) AS th1, any(tag0) AS tag1, any(o) AS o1, any(id) AS oneId, min(h) AS lo, max(h) AS hi
        FROM (SELECT id, o, splitByChar(${lit(codec.spec.separator)}, id)[${k}] AS tag0, cityHash64(tag0) AS th, cityHash64(id) AS h FROM ${src} WHERE d = ${lit(d)} AND match(id, ${lit(codec.regex)}))
        GROUP BY cityHash64(tag0, o))
      GROUP BY th1 HAVING no > 1 AND lo2 != hi2 ORDER BY tag)`;
    return [{ domain: d, sql }];
  });
  return { count: `SELECT count() AS n FROM ${table}`, pattern, candidates, groups, tags, domains };
}

