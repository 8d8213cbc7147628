import { describe, expect, it } from 'vitest';
import { createClient } from '@clickhouse/client';
import { createIdBatch, exitCodeFor, ExitCode, InfrastructureError, type IdBatch } from '../harness/model/index.js';
import { ClickHouseLedger, LedgerSet, MemoryLedger, RedisLedger, type Ledger } from '../harness/ledger/index.js';
import { clickhouseRecipe, LocalServer, redisRecipe, type LocalServerRecipe, type StartedLocalServer } from '../harness/stores/index.js';

function batch(id: string, n: number): IdBatch {
  return createIdBatch({ batchId: id, domain: 'run', ids: Array.from({ length: n }, (_, i) => `${id}_${i}`), owners: 1 });
}

/** Starts a server of our own, runs `body`, and always stops the server. */
async function withServer(recipe: LocalServerRecipe, body: (s: StartedLocalServer) => Promise<void>): Promise<void> {
  const server = await new LocalServer(recipe).start();
  try {
    await body(server);
  } finally {
    await server.stop();
  }
}

/**
 * Appends a few batches (acknowledged), then a big one, and SIGKILLs the server while it is being
 * written (stopped with SIGSTOP just before the big batch, so that write cannot finish first).
 * Checks that the ledger rejects with InfrastructureError from then on — at the append (Redis) or
 * at the flush (ClickHouse writes behind) — and that a LedgerSet around it reports an
 * infrastructure finding (exit 3) with the acknowledged count.
 */
async function killDuringWrites(server: StartedLocalServer, open: () => Promise<Ledger>, bigRows: number): Promise<void> {
  const store = await open();
  const set = new LedgerSet([new MemoryLedger(), store]);
  try {
    for (let i = 0; i < 3; i++) await set.append(batch(`ok${i}`, 1000));
    await set.flush();
    expect(set.acknowledged(store.kind)).toBe(3000);
    // Stopped first, so the big write is surely in flight, never already acknowledged, when the
    // server dies (on an idle machine ClickHouse took a 2M-row insert in under the 300 ms wait).
    process.kill(server.pid, 'SIGSTOP');
    const big = set.append(batch('big', bigRows));
    await new Promise((r) => setTimeout(r, 300));
    process.kill(server.pid, 'SIGKILL');
    await big;
    await set.flush();
    expect(set.failed).toBe(true);
    // Not acknowledged, so not counted as stored; acknowledged ones are never reported lost.
    expect(set.acknowledged(store.kind)).toBe(3000);
    await expect(store.append(batch('after', 10))).rejects.toBeInstanceOf(InfrastructureError);
    await expect(store.verify()).rejects.toBeInstanceOf(InfrastructureError);
    const { verdicts, findings } = await set.verify();
    expect(verdicts.map((v) => v.ledger)).toEqual(['memory']);
    const infra = findings.filter((f) => f.kind === 'infrastructure');
    expect(infra).toHaveLength(1);
    expect(infra[0]!.evidence).toMatchObject({ ledger: store.kind, appended: 3000 + bigRows, acknowledged: 3000 });
    expect(findings.some((f) => f.kind === 'lost-write')).toBe(false);
    expect(exitCodeFor(findings)).toBe(ExitCode.Infrastructure);
  } finally {
    await set.close().catch(() => undefined);
  }
}

describe('a store killed during writes', () => {
  it('Redis: the run ends with an infrastructure finding, never a pass', async () => {
    await withServer(redisRecipe, (server) =>
      killDuringWrites(server, () => RedisLedger.open({ url: server.url, connectTimeoutMs: 1000, commandTimeoutMs: 5000 }), 400_000),
    );
  }, 60_000);

  it('ClickHouse: the run ends with an infrastructure finding, never a pass', async () => {
    await withServer(clickhouseRecipe, (server) =>
      killDuringWrites(server, () => ClickHouseLedger.open({ url: server.url, requestTimeoutMs: 5000 }), 2_000_000),
    );
  }, 90_000);

  it('Redis that stops answering: every wait is bounded', async () => {
    await withServer(redisRecipe, async (server) => {
      const ledger = await RedisLedger.open({ url: server.url, connectTimeoutMs: 500, commandTimeoutMs: 500 });
      try {
        await ledger.append(batch('ok', 100));
        process.kill(server.pid, 'SIGSTOP');
        const started = Date.now();
        try {
          await expect(ledger.append(batch('stalled', 100))).rejects.toBeInstanceOf(InfrastructureError);
          await expect(ledger.verify()).rejects.toBeInstanceOf(InfrastructureError);
          expect(Date.now() - started).toBeLessThan(5000);
        } finally {
          process.kill(server.pid, 'SIGCONT');
        }
      } finally {
        await ledger.close().catch(() => undefined);
      }
    });
  }, 60_000);
});

describe('the ClickHouse ledger writes behind a bounded buffer', () => {
  it('appends resolve while the buffer has room, wait when it is full, and flush waits for every row', async () => {
    await withServer(clickhouseRecipe, async (server) => {
      const ledger = await ClickHouseLedger.open({ url: server.url, groupRows: 1000, bufferRows: 3000, requestTimeoutMs: 20_000 });
      const settledWithin = async (p: Promise<unknown>, ms: number) => Promise.race([p.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);
      try {
        // Stopped: the first batch's insert cannot finish, so nothing is acknowledged meanwhile.
        process.kill(server.pid, 'SIGSTOP');
        let fifth: Promise<void>;
        let flushed: Promise<void>;
        try {
          for (let i = 0; i < 4; i++) expect(await settledWithin(ledger.append(batch(`w${i}`, 1000)), 2000)).toBe(true);
          // One batch in the insert, three in the buffer: the fifth waits for room.
          fifth = ledger.append(batch('w4', 1000));
          flushed = ledger.flush();
          expect(await settledWithin(fifth, 500)).toBe(false);
          expect(await settledWithin(flushed, 10)).toBe(false);
          expect(ledger.acknowledged('run')).toBe(0);
        } finally {
          process.kill(server.pid, 'SIGCONT');
        }
        await fifth;
        await flushed;
        expect(ledger.acknowledged('run')).toBe(5000);
        expect((await ledger.verify()).domains[0]).toMatchObject({ appended: 5000, stored: 5000, distinct: 5000 });
      } finally {
        await ledger.close();
      }
    });
  }, 60_000);

  it('close() drops what is buffered with the database; appends and flushes still waiting fail', async () => {
    await withServer(clickhouseRecipe, async (server) => {
      const ledger = await ClickHouseLedger.open({ url: server.url, runId: 'closing', groupRows: 1000, bufferRows: 1000, requestTimeoutMs: 20_000 });
      process.kill(server.pid, 'SIGSTOP');
      let waiting: Promise<void>;
      let flushing: Promise<void>;
      let closed: Promise<void>;
      try {
        await ledger.append(batch('c0', 1000));
        await ledger.append(batch('c1', 1000));
        waiting = ledger.append(batch('c2', 1000));
        flushing = ledger.flush();
        closed = ledger.close();
        // A second close waits for the first.
        expect(ledger.close()).toBe(closed);
      } finally {
        process.kill(server.pid, 'SIGCONT');
      }
      // c1 was buffered and is gone with the database: the flush must not report it written.
      await expect(waiting).rejects.toThrow(/closed before its buffered batches were written/);
      await expect(flushing).rejects.toThrow(/closed before its buffered batches were written/);
      await closed;
      const admin = createClient({ url: server.url });
      try {
        const dbs = await (await admin.query({ query: "SELECT name FROM system.databases WHERE name = 'idgate_closing'", format: 'JSONEachRow' })).json();
        expect(dbs).toEqual([]);
      } finally {
        await admin.close();
      }
    });
  }, 60_000);
});
