import { createClient } from '@clickhouse/client';
import { describe, expect, inject, it } from 'vitest';
import { createIdBatch } from '../model/index.js';
import { ClickHouseLedger, comparableVerdict, MemoryLedger } from './index.js';

describe('ClickHouseLedger', () => {
  it('deletes only its own database on close', async () => {
    const { clickhouseUrl } = inject('stores');
    const admin = createClient({ url: clickhouseUrl });
    try {
      await admin.command({ query: 'CREATE DATABASE IF NOT EXISTS idgate_foreign' });
      await admin.command({ query: 'CREATE TABLE IF NOT EXISTS idgate_foreign.ids (id String) ENGINE = MergeTree ORDER BY id' });
      await admin.command({ query: 'CREATE TABLE IF NOT EXISTS default.idgate_neighbour (id String) ENGINE = MergeTree ORDER BY id' });
      const ledger = await ClickHouseLedger.open({ url: clickhouseUrl, runId: 'neighbourly' });
      try {
        await ledger.append(createIdBatch({ batchId: 'a', domain: 'user', ids: ['a', 'b', 'a'], owners: [1, 2, 3] }));
        expect((await ledger.verify()).domains[0]).toMatchObject({ stored: 3, distinct: 2, multiOwnerIds: 1 });
      } finally {
        await ledger.close();
      }
      const dbs = await (await admin.query({ query: 'SELECT name FROM system.databases', format: 'JSONEachRow' })).json<{ name: string }>();
      const names = dbs.map((d) => d.name);
      expect(names).not.toContain('idgate_neighbourly');
      expect(names).toContain('idgate_foreign');
      const tables = await (await admin.query({ query: "SELECT database, name FROM system.tables WHERE name IN ('ids', 'idgate_neighbour')", format: 'JSONEachRow' })).json<{ database: string; name: string }>();
      expect(tables).toEqual(expect.arrayContaining([{ database: 'idgate_foreign', name: 'ids' }, { database: 'default', name: 'idgate_neighbour' }]));
    } finally {
      await admin.command({ query: 'DROP DATABASE IF EXISTS idgate_foreign' });
      await admin.command({ query: 'DROP TABLE IF EXISTS default.idgate_neighbour' });
      await admin.close();
    }
  });

  it('reports rows lost from one batch and extra in another even when the totals match', async () => {
    const { clickhouseUrl } = inject('stores');
    const ledger = await ClickHouseLedger.open({ url: clickhouseUrl });
    const admin = createClient({ url: clickhouseUrl });
    try {
      await ledger.append(createIdBatch({ batchId: 'a', domain: 'user', ids: ['a1', 'a2'], owners: [9, 1] }));
      await ledger.append(createIdBatch({ batchId: 'b', domain: 'user', ids: ['b1', 'b2'], owners: 1 }));
      await ledger.flush();
      // Behind the ledger's back: one row of batch 0 disappears, one extra row joins batch 1.
      await admin.insert({ table: `${ledger.database}.ids`, values: [{ b: 1, domain: 'user', id: 'x', owner: 1 }], format: 'JSONEachRow' });
      await admin.command({ query: `ALTER TABLE ${ledger.database}.ids DELETE WHERE b = 0 AND owner = 9` });
      for (let i = 0; i < 100; i++) {
        const rows = await (await admin.query({ query: `SELECT count() AS n FROM ${ledger.database}.ids WHERE b = 0`, format: 'JSONEachRow' })).json<{ n: string }>();
        if (rows[0]?.n === '1') break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const v = await ledger.verify();
      expect(v.domains[0]).toMatchObject({ appended: 4, stored: 4 });
      expect(v.findings.map((f) => `${f.kind}/${f.rule ?? ''}`)).toEqual(['lost-write/per-batch']);
    } finally {
      await admin.close();
      await ledger.close();
    }
  });

  it('writes concurrent appends in groups and still answers per batch, like the memory ledger', async () => {
    const { clickhouseUrl } = inject('stores');
    const ledger = await ClickHouseLedger.open({ url: clickhouseUrl, groupRows: 2500 });
    const memory = new MemoryLedger();
    try {
      const batches = Array.from({ length: 12 }, (_, k) =>
        createIdBatch({ batchId: `g${k}`, domain: k % 2 === 0 ? 'run' : 'user', ids: Array.from({ length: 1000 }, (_, i) => (k === 5 && i === 3 ? 'tab\there' : `g_${(k * 1000 + i) % 9000}`)), owners: k % 3 }),
      );
      await Promise.all(batches.flatMap((b) => [ledger.append(b), memory.append(b)]));
      const [vc, vm] = await Promise.all([ledger.verify(), memory.verify()]);
      expect(vc.domains.map((d) => d.stored)).toEqual([6000, 6000]);
      expect(vm.duplicates.length).toBeGreaterThan(0);
      expect(comparableVerdict(vc)).toEqual(comparableVerdict(vm));
    } finally {
      await ledger.close();
      await memory.close();
    }
  });
});
