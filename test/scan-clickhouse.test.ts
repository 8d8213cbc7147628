import { Readable } from 'node:stream';
import { createClient, ClickHouseLogLevel, type ClickHouseClient } from '@clickhouse/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Finding } from '../harness/model/index.js';
import { ReadOnlyClickHouse, scanClickHouse } from '../harness/scan/index.js';
import { ScanFixture } from './scan-fixture.js';

function summary(findings: readonly Finding[]): Record<string, string[]> {
  return Object.fromEntries(findings.map((f) => [`${f.kind}/${f.domain ?? ''}/${f.rule ?? ''}`, f.rule === 'shared-user-tag' ? ['(tag of user 7)'] : [...f.ids].sort()]));
}

describe('idgate scan clickhouse', () => {
  const db = `idgate_scan_${process.pid}_${Date.now()}`;
  let admin: ClickHouseClient;
  const f = new ScanFixture();
  const planted: Record<string, string[]> = {};
  let url: string;

  const checksum = async () => {
    const rs = await admin.query({ query: `SELECT count() AS n, sum(cityHash64(id, user_id)) AS h FROM ${db}.ids`, format: 'JSONEachRow' });
    const parts = await admin.query({ query: `SELECT count() AS p, max(modification_time) AS m FROM system.parts WHERE database = '${db}'`, format: 'JSONEachRow' });
    return JSON.stringify([await rs.json(), await parts.json()]);
  };

  beforeAll(async () => {
    url = inject('stores').clickhouseUrl;
    admin = createClient({ url, compression: { request: false, response: false }, log: { level: ClickHouseLogLevel.OFF } });
    await admin.command({ query: `CREATE DATABASE ${db}` });
    await admin.command({ query: `CREATE TABLE ${db}.ids (id String, user_id String) ENGINE = MergeTree ORDER BY tuple()` });
    await admin.command({ query: `CREATE TABLE ${db}.sessions (session_id String, user_id String) ENGINE = MergeTree ORDER BY tuple()` });
    const rows: [string, string][] = [];
    const sessions: [string, string][] = [];
    const runsOf: string[] = [];
    for (let i = 0; i < 12; i++) {
      const u = f.user(i);
      for (let k = 0; k < 3; k++) {
        const s = f.id('session', { user: f.tag(i) });
        rows.push([s, u]);
        sessions.push([s, u]);
      }
      const thread = f.id('thread', { op: 'chat' });
      const run = f.id('run', { thread });
      runsOf.push(run);
      rows.push([thread, u], [run, u], [f.id('agent_exec', { user: f.tag(i) }), u]);
    }
    const dupThread = f.id('thread', { op: 'tool_call' });
    rows.push([dupThread, f.user(1)], [dupThread, f.user(1)]);
    planted['duplicate/thread/rows'] = [dupThread];
    rows.push([runsOf[3]!, f.user(4)]);
    planted['duplicate/run/rows'] = [runsOf[3]!];
    planted['multi-owner/run/rows'] = [runsOf[3]!];
    const upper = `session_${f.tag(5)}_${f.hex().toUpperCase()}`;
    rows.push([upper, f.user(5)]);
    sessions.push([upper, f.user(5)]);
    planted['pattern/session/parse'] = [upper];
    rows.push(["legacy-8f3a'; DROP TABLE x; --", f.user(6)]);
    planted['pattern//unknown-domain'] = ["legacy-8f3a'; DROP TABLE x; --"];
    const shared = f.id('session', { user: f.tag(7) });
    rows.push([shared, f.user(8)]);
    sessions.push([shared, f.user(8)]);
    planted['isolation/session/shared-user-tag'] = ['(tag of user 7)'];
    const tsv = (r: [string, string][]) => Readable.from([r.map(([a, b]) => `${a}\t${b}\n`).join('')], { objectMode: false });
    await admin.insert({ table: `${db}.ids`, values: tsv(rows), format: 'TabSeparated' });
    await admin.insert({ table: `${db}.sessions`, values: tsv(sessions), format: 'TabSeparated' });
  });

  afterAll(async () => {
    await admin?.command({ query: `DROP DATABASE IF EXISTS ${db}` });
    await admin?.close();
  });

  it('finds exactly the planted defects in SQL, and the table is unchanged', async () => {
    const before = await checksum();
    const seen: number[] = [];
    const result = await scanClickHouse({ url, table: `${db}.ids`, idColumn: 'id', ownerColumn: 'user_id', onProgress: (p) => seen.push(p.done / p.total) });
    expect(summary(result.findings)).toEqual(planted);
    const multi = result.findings.find((x) => x.kind === 'multi-owner')!;
    expect(multi.owners.map((o) => result.users[o]).sort()).toEqual([f.user(3), f.user(4)].sort());
    const tag = result.findings.find((x) => x.kind === 'isolation')!;
    expect(tag.owners.map((o) => result.users[o]).sort()).toEqual([f.user(7), f.user(8)].sort());
    expect(result.stats.rows).toBe(12 * 6 + 6); // 6 per user, 6 planted
    expect(result.stats.candidateHashes).toBeGreaterThan(0);
    expect(seen.at(-1)).toBe(1);
    expect(await checksum()).toBe(before);
  });

  it('with --domain checks one column of one domain; --allow-repeats leaves duplicates out', async () => {
    const one = await scanClickHouse({ url, table: `${db}.sessions`, idColumn: 'session_id', ownerColumn: 'user_id', domain: 'session' });
    expect(summary(one.findings)).toEqual({ 'pattern/session/parse': planted['pattern/session/parse'], 'isolation/session/shared-user-tag': ['(tag of user 7)'] });
    expect(one.stats.candidateHashes).toBe(0); // no ID in two rows: the exact grouping was skipped
    const repeats = await scanClickHouse({ url, table: `${db}.ids`, idColumn: 'id', ownerColumn: 'user_id', allowRepeats: true });
    expect(Object.keys(summary(repeats.findings)).filter((k) => k.startsWith('duplicate'))).toEqual([]);
    expect(summary(repeats.findings)['multi-owner/run/rows']).toEqual(planted['multi-owner/run/rows']);
  });

  it('runs every query read-only: ClickHouse refuses a write on the scan connection', async () => {
    const ro = await ReadOnlyClickHouse.open(url);
    try {
      expect(await ro.rows<{ value: string }>("SELECT value FROM system.settings WHERE name = 'readonly'")).toEqual([{ value: '2' }]);
      // The scan sends only SELECTs through rows(); the same settings on a write are refused.
      for (const query of [`INSERT INTO ${db}.ids SELECT 'x', 'y'`, `CREATE TABLE ${db}.evil (a UInt8) ENGINE = Memory`, `DROP TABLE ${db}.ids`, `ALTER TABLE ${db}.ids DELETE WHERE 1`]) {
        await expect(admin.command({ query, clickhouse_settings: ro.settings })).rejects.toThrow(/Code: 164|readonly/);
      }
    } finally {
      await ro.close();
    }
    const rs = await admin.query({ query: `SELECT count() AS n FROM system.tables WHERE database = '${db}'`, format: 'JSONEachRow' });
    expect(await rs.json()).toEqual([{ n: '2' }]);
  });

  it('refuses unsafe identifiers before connecting', async () => {
    await expect(scanClickHouse({ url: 'http://127.0.0.1:1', table: `${db}.ids; DROP TABLE x`, idColumn: 'id', ownerColumn: 'user_id' })).rejects.toThrow(/not a safe SQL identifier/);
    await expect(scanClickHouse({ url: 'http://127.0.0.1:1', table: 'ids', idColumn: 'id', ownerColumn: 'user_id' })).rejects.toThrow(/not <database>.<table>/);
    await expect(scanClickHouse({ url: 'http://127.0.0.1:1', table: `${db}.ids`, idColumn: 'id`', ownerColumn: 'user_id' })).rejects.toThrow(/^idgate scan clickhouse: /);
  });
});
