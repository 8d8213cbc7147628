import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { createClient, type ClickHouseClient, type ClickHouseSettings } from '@clickhouse/client';
import { InfrastructureError, UsageError, type DomainName, type IdBatch } from '../model/index.js';
import { compareIds } from './compare-ids.js';
import type { DomainTally, IdExample, Ledger, LedgerOptions, LedgerVerdict } from './ledger.js';
import { newRunId, validateRunId } from './run-id.js';
import { sqlIdentifier } from './sql-identifier.js';
import { sqlStringLiteral } from './sql-string-literal.js';
import { escapeTsv } from './tsv-escape.js';
import { rowBinaryRows } from './row-binary-rows.js';
import { AppendBook, type AppendTally } from './append-book.js';
import { verdictFindings } from './verdict-findings.js';

/** Options of {@link ClickHouseLedger.open}. */
export interface ClickHouseLedgerOptions extends LedgerOptions {
  /** `http://[user:pass@]host:port`. Required. */
  readonly url: string;
  /** Names the run's database `idgate_<runId>`. Default: a random ID. */
  readonly runId?: string;
  /** `max_memory_usage` of every verify query, bytes. Default: 2 GiB. */
  readonly maxMemoryUsage?: number;
  /**
   * Bound on any one request: a store that stops answering fails the run after this long. Queries
   * over the whole run (verify, the pattern counts, lookups) get this plus
   * {@link CLICKHOUSE_QUERY_MS_PER_ROW} per row appended (100M rows: 60 s + 8.4 min): on a slow
   * host one GROUP BY over 100M rows took over 60 s. Default: 60 000 ms.
   */
  readonly requestTimeoutMs?: number;
  /** Accepted for compatibility and validated; rows now go as RowBinary pieces of ~4 MiB. */
  readonly chunkRows?: number;
  /**
   * Group commit: appends that arrive while an insert runs are written together by the next one
   * (one manifest insert and one ID insert per group, not per batch), up to this many rows.
   * Default: 1 000 000 (ClickHouse's `max_insert_block_size` is 1 048 576: one part per insert).
   */
  readonly groupRows?: number;
  /**
   * Write-behind: an append resolves once its batch is in the ledger's write buffer, which holds at
   * most this many rows besides the insert running (a bigger batch waits until the buffer is
   * empty). `flush()` — and `verify()`, the queries and a shard's `close()`, which flush first —
   * resolve once ClickHouse acknowledged everything; a refused insert breaks the ledger, and they
   * throw its `InfrastructureError`. Without it an insert could carry only the batches a caller
   * keeps in flight (four 20k-ID batches: 51–55% of clickhouse-client's rate, bench/). Default: 1 000 000.
   */
  readonly bufferRows?: number;
  /**
   * Write as shard `index` of a sharded run (`idgate gate --shard i/N`, at most 255 shards): batch
   * numbers carry the shard (`b = index × 2^24 + n`, so `intDiv(b, 2^24)` names the shard of a
   * row) and `close()` keeps the run's database for `idgate verify`. Default: not sharded.
   */
  readonly shard?: { readonly index: number; readonly count: number };
}

/**
 * Milliseconds a query over the run's table may take per row appended, beyond `requestTimeoutMs`
 * (5 µs; ClickHouse 18.16 sends no progress that would keep an HTTP request alive meanwhile).
 */
export const CLICKHOUSE_QUERY_MS_PER_ROW = 0.005;

/** The bound of one query over a run of `rows` rows: `requestTimeoutMs` plus 5 µs per row. */
export function clickhouseQueryTimeoutMs(requestTimeoutMs: number, rows: number): number {
  return requestTimeoutMs + Math.ceil(rows * CLICKHOUSE_QUERY_MS_PER_ROW);
}

/** Batch numbers per shard of a sharded run: `b = shard × 2^24 + n`. */
export const CLICKHOUSE_SHARD_SPAN = 2 ** 24;

/** A batch waiting for its group's insert. */
interface PendingBatch {
  readonly b: number;
  readonly batch: IdBatch;
  readonly tally: AppendTally;
  /** Resolves the append (the batch is in the write buffer); later calls and `reject` are no-ops. */
  readonly release: () => void;
  readonly reject: (e: unknown) => void;
}

const QUOTED = 10;

function infra(what: string, e: unknown): InfrastructureError {
  if (e instanceof InfrastructureError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  return new InfrastructureError('IDGATE_CLICKHOUSE_FAILED', `ClickHouseLedger.${what}: ClickHouse failed (${msg})`, 'check that ClickHouse is running and reachable; the run proves nothing until it is', { cause: e });
}

interface ExampleRow {
  id: string;
  ds: string[];
  cs: (string | number)[];
  ow: number[];
  mds: string[];
}

/**
 * The ClickHouse ledger: one plain MergeTree table of (batch, domain, id, owner) rows in a
 * per-run database, filled by streamed RowBinary inserts, written behind the appends from a bounded
 * buffer by group commit (one insert of up to a million rows instead of one per batch); IDs travel
 * only as insert data, never in SQL text. A manifest table holds each batch's expected row count, so lost and
 * unexpected rows are found exactly, per batch, in SQL. Duplicates and multi-owner IDs are
 * found by grouping on `cityHash64(id)` first (8 bytes per row in memory) and confirming the
 * candidates exactly; only findings travel back.
 */
export class ClickHouseLedger implements Ledger {
  readonly kind = 'clickhouse' as const;
  private readonly book = new AppendBook<AppendTally>('ClickHouseLedger', () => ({ appended: 0, acknowledged: 0 }));
  private nextBatch = 0;
  private keepDatabase = false;
  /** Batches not yet in an insert, oldest first; the first `released` of them have resolved. */
  private readonly queue: PendingBatch[] = [];
  private released = 0;
  private releasedRows = 0;
  /** The insert running, if any: one at a time. */
  private running: Promise<void> | undefined;
  /** Set when close() threw the buffer away: every later wait fails with it. */
  private dropped: UsageError | undefined;
  private closing: Promise<void> | undefined;
  private readonly flushes: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  private readonly db: string;
  private readonly settings: ClickHouseSettings;
  private readonly client: ClickHouseClient;
  /** Clients with the longer bound of queries over the run, newest last; closed with the ledger. */
  private readonly queryClients: { client: ClickHouseClient; timeoutMs: number }[] = [];

  private constructor(
    private readonly clientWith: (timeoutMs: number) => ClickHouseClient,
    private readonly requestTimeoutMs: number,
    /** The run's database name (unquoted). */
    readonly database: string,
    private readonly maxExamples: number,
    private readonly groupRows: number,
    private readonly bufferRows: number,
    maxMemoryUsage: number,
  ) {
    this.db = sqlIdentifier('ClickHouseLedger', database);
    this.client = clientWith(requestTimeoutMs);
    // Bounded memory for every query: spill GROUP BY and ORDER BY to disk well before the cap.
    this.settings = {
      max_memory_usage: String(maxMemoryUsage),
      max_bytes_before_external_group_by: String(Math.floor(maxMemoryUsage / 2)),
      max_bytes_before_external_sort: String(Math.floor(maxMemoryUsage / 2)),
    };
  }

  /** Connects, creates the run's database and tables, and returns a ledger ready for appends. */
  static async open(options: ClickHouseLedgerOptions): Promise<ClickHouseLedger> {
    const api = 'ClickHouseLedger.open';
    const runId = validateRunId(api, options.runId ?? newRunId());
    const maxExamples = options.maxExamples ?? 100;
    const chunkRows = options.chunkRows ?? 10_000;
    const groupRows = options.groupRows ?? 1_000_000;
    if (!Number.isInteger(groupRows) || groupRows < 1) throw new UsageError('IDGATE_BAD_OPTION', `${api}: groupRows ${groupRows} is not a positive integer`, 'pass a positive integer such as 1000000');
    const bufferRows = options.bufferRows ?? 1_000_000;
    if (!Number.isInteger(bufferRows) || bufferRows < 1) throw new UsageError('IDGATE_BAD_OPTION', `${api}: bufferRows ${bufferRows} is not a positive integer`, 'pass a positive integer such as 1000000');
    const maxMemoryUsage = options.maxMemoryUsage ?? 2 * 1024 ** 3;
    if (!Number.isInteger(maxExamples) || maxExamples < 0) throw new UsageError('IDGATE_BAD_OPTION', `${api}: maxExamples ${maxExamples} is not a non-negative integer`, 'pass 0 or more');
    if (!Number.isInteger(chunkRows) || chunkRows < 1) throw new UsageError('IDGATE_BAD_OPTION', `${api}: chunkRows ${chunkRows} is not a positive integer`, 'pass a positive integer such as 10000');
    if (!Number.isInteger(maxMemoryUsage) || maxMemoryUsage < 1 << 20) throw new UsageError('IDGATE_BAD_OPTION', `${api}: maxMemoryUsage ${maxMemoryUsage} is below 1 MiB`, 'pass a byte count such as 2147483648');
    const requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
    if (!Number.isInteger(requestTimeoutMs) || requestTimeoutMs < 1) throw new UsageError('IDGATE_BAD_OPTION', `${api}: requestTimeoutMs ${requestTimeoutMs} is not a positive integer`, 'pass milliseconds such as 60000');
    const clientWith = (timeoutMs: number) =>
      createClient({
        url: options.url,
        request_timeout: timeoutMs,
        max_open_connections: 4,
        compression: { request: false, response: false },
        // A busy main thread (the nightly profile at load 8) reuses keep-alive sockets the server
        // may already have closed (the client warned of sockets idle ~10 s); drop them instead.
        keep_alive: { enabled: true, eagerly_destroy_stale_sockets: true },
      });
    const ledger = new ClickHouseLedger(clientWith, requestTimeoutMs, `idgate_${runId}`, maxExamples, groupRows, bufferRows, maxMemoryUsage);
    const client = ledger.client;
    const shard = options.shard;
    if (shard !== undefined) {
      if (!Number.isInteger(shard.count) || shard.count < 1 || shard.count > 255 || !Number.isInteger(shard.index) || shard.index < 0 || shard.index >= shard.count) {
        await client.close();
        throw new UsageError('IDGATE_BAD_OPTION', `${api}: shard ${shard.index}/${shard.count} is not a shard index below a count of 1–255`, 'pass shard: { index: 0, count: 3 } and so on');
      }
      ledger.nextBatch = shard.index * CLICKHOUSE_SHARD_SPAN;
      ledger.keepDatabase = true;
    }
    try {
      await ledger.command(`CREATE DATABASE IF NOT EXISTS ${ledger.db}`);
      // A plain MergeTree: Replacing/Collapsing engines would merge duplicates away.
      await ledger.command(`CREATE TABLE IF NOT EXISTS ${ledger.db}.ids (b UInt32, domain String, id String, owner UInt32) ENGINE = MergeTree ORDER BY b`);
      await ledger.command(`CREATE TABLE IF NOT EXISTS ${ledger.db}.manifest (b UInt32, batch String, domain String, rows UInt64) ENGINE = MergeTree ORDER BY b`);
    } catch (e) {
      await client.close().catch(() => undefined);
      throw infra('open', e);
    }
    return ledger;
  }

  /**
   * Opens a sharded run's database for `idgate verify`, after its shards finished: `appended`
   * (per domain, from the shard markers) stands in for the appends; `verify()` answers for the
   * whole run in SQL and `close()` drops the run's database only with `deleteOnClose`.
   */
  static async attach(options: { readonly url: string; readonly runId: string; readonly appended: ReadonlyMap<DomainName, number>; readonly maxExamples?: number; readonly requestTimeoutMs?: number; readonly deleteOnClose?: boolean }): Promise<ClickHouseLedger> {
    const runId = validateRunId('ClickHouseLedger.attach', options.runId);
    const clientWith = (timeoutMs: number) => createClient({ url: options.url, request_timeout: timeoutMs, max_open_connections: 4, compression: { request: false, response: false } });
    const ledger = new ClickHouseLedger(clientWith, options.requestTimeoutMs ?? 60_000, `idgate_${runId}`, options.maxExamples ?? 100, 1, 1, 2 * 1024 ** 3);
    const client = ledger.client;
    try {
      const [row] = await ledger.rowsOf<{ n: string | number }>(`SELECT count() AS n FROM system.tables WHERE database = ${sqlStringLiteral('ClickHouseLedger.attach', ledger.database)} AND name = 'ids'`);
      if (Number(row?.n ?? 0) === 0) throw new UsageError('IDGATE_NO_RUN', `ClickHouseLedger.attach: ClickHouse holds no run ${runId} (no table ${ledger.database}.ids)`, 'check --run-id and the ClickHouse URL the shards wrote to');
    } catch (e) {
      await client.close().catch(() => undefined);
      throw e instanceof UsageError ? e : infra('attach', e);
    }
    for (const [d, n] of options.appended) ledger.book.domains.set(d, { appended: n, acknowledged: n });
    ledger.keepDatabase = options.deleteOnClose !== true;
    return ledger;
  }

  /** Drop the run's database at `close()` after all (an attached ledger after a conclusive verify). */
  deleteOnClose(): void {
    this.keepDatabase = false;
  }

  /**
   * For a sharded run: which shards' rows hold each of `ids`, byte for byte. The IDs go in as
   * insert data (a lookup table), never as SQL text.
   */
  async shardsHolding(ids: readonly string[]): Promise<Map<string, Set<number>>> {
    const out = new Map<string, Set<number>>();
    if (ids.length === 0) return out;
    try {
      await this.settled();
      await this.command(`DROP TABLE IF EXISTS ${this.db}.xs_lookup`);
      await this.command(`CREATE TABLE ${this.db}.xs_lookup (id String) ENGINE = MergeTree ORDER BY id`);
      await this.insertTsv('xs_lookup', [ids.map((id) => `${escapeTsv(id)}\n`).join('')]);
      const rows = await this.rowsOf<{ id: string; shards: (string | number)[] }>(`SELECT id, groupUniqArray(intDiv(b, ${CLICKHOUSE_SHARD_SPAN})) AS shards FROM ${this.db}.ids WHERE id IN (SELECT id FROM ${this.db}.xs_lookup) GROUP BY id`);
      for (const r of rows) out.set(r.id, new Set(r.shards.map(Number)));
      await this.command(`DROP TABLE IF EXISTS ${this.db}.xs_lookup`);
      return out;
    } catch (e) {
      throw infra('shardsHolding', e);
    }
  }

  /** IDs per domain whose insert ClickHouse acknowledged. */
  acknowledged(domain: DomainName): number {
    return this.book.domains.get(domain)?.acknowledged ?? 0;
  }

  /**
   * Takes the batch into the write buffer (see {@link ClickHouseLedgerOptions.bufferRows}): resolves
   * once it is there, before ClickHouse acknowledged it; {@link flush} waits for that.
   */
  async append(batch: IdBatch): Promise<void> {
    const tally = this.book.admit(batch);
    if (tally === undefined) return;
    const b = this.nextBatch++;
    await new Promise<void>((release, reject) => {
      this.queue.push({ b, batch, tally, release, reject });
      this.releaseFitting();
      this.pump();
    });
  }

  /**
   * Resolves once ClickHouse acknowledged every batch appended so far (and any appended while it
   * waits); rejects with the ledger's `InfrastructureError` when an insert failed.
   */
  async flush(): Promise<void> {
    this.book.ensureOpen('flush', 'flush before close');
    await this.settled();
  }

  /** Resolves when no insert runs and none waits; rejects once the ledger is broken. */
  private settled(): Promise<void> {
    if (this.book.broken) return Promise.reject(this.book.broken);
    if (this.dropped) return Promise.reject(this.dropped);
    if (this.running === undefined && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => this.flushes.push({ resolve, reject }));
  }

  /** Resolves the appends of queued batches, oldest first, while the buffer has room for them. */
  private releaseFitting(): void {
    while (this.released < this.queue.length) {
      const p = this.queue[this.released]!;
      const n = p.batch.ids.length;
      if (this.releasedRows > 0 && this.releasedRows + n > this.bufferRows) return;
      this.releasedRows += n;
      this.released++;
      p.release();
    }
  }

  /** Starts the next group insert unless one runs; the queue drains one group at a time. */
  private pump(): void {
    if (this.running !== undefined) return;
    if (this.queue.length === 0) {
      for (const f of this.flushes.splice(0)) f.resolve();
      return;
    }
    let k = 0;
    let rows = 0;
    while (k < this.queue.length && (k === 0 || rows + this.queue[k]!.batch.ids.length <= this.groupRows)) rows += this.queue[k++]!.batch.ids.length;
    const group = this.queue.splice(0, k);
    // Batches leaving the buffer for the insert: the released ones free their room, the others
    // (a buffer smaller than a group) resolve now, their rows bounded by groupRows instead.
    for (let i = 0; i < k; i++) {
      if (i < this.released) this.releasedRows -= group[i]!.batch.ids.length;
      else group[i]!.release();
    }
    this.released = Math.max(0, this.released - k);
    this.releaseFitting();
    this.running = this.insertGroup(group);
    this.running.then(
      () => {
        this.running = undefined;
        for (const p of group) p.tally.acknowledged += p.batch.ids.length;
        this.pump();
      },
      (e: unknown) => {
        this.running = undefined;
        // Appends that resolved fail at flush() and verify(), through the broken book.
        this.failWaiting((this.book.broken ??= infra('append', e)));
      },
    );
  }

  /** Empties the buffer: appends still waiting for room and flushes still waiting fail with `e`. */
  private failWaiting(e: Error): void {
    for (const p of this.queue.splice(0)) p.reject(e);
    for (const f of this.flushes.splice(0)) f.reject(e);
    this.released = 0;
    this.releasedRows = 0;
  }

  private async insertGroup(group: readonly PendingBatch[]): Promise<void> {
    if (this.book.broken) throw this.book.broken;
    // The manifest rows go first: rows that never arrive then show as lost, per batch.
    await this.insertTsv('manifest', [group.map((p) => `${p.b}\t${escapeTsv(p.batch.batchId)}\t${p.batch.domain}\t${p.batch.ids.length}\n`).join('')]);
    const withRows = group.filter((p) => p.batch.ids.length > 0);
    if (withRows.length > 0) {
      // RowBinary, not TabSeparated: no escaping, and the server skips text parsing.
      const rs = await this.client.exec({ query: `INSERT INTO ${this.db}.ids FORMAT RowBinary`, values: Readable.from(rowBinaryRows(withRows), { objectMode: false }) });
      const response = rs.stream as Readable;
      response.resume();
      await finished(response);
    }
  }

  private async insertTsv(table: string, chunks: Iterable<string | Buffer>): Promise<void> {
    const stream = Readable.from(chunks, { objectMode: false });
    await this.client.insert({ table: `${this.db}.${table}`, values: stream, format: 'TabSeparated' });
  }

  private async command(query: string): Promise<void> {
    await this.queryClient().command({ query, clickhouse_settings: this.settings });
  }

  private async rowsOf<T>(query: string): Promise<T[]> {
    const rs = await this.queryClient().query({ query, format: 'JSONEachRow', clickhouse_settings: this.settings });
    return rs.json<T>();
  }

  /** A client whose bound fits a query over every row appended so far (see {@link clickhouseQueryTimeoutMs}). */
  private queryClient(): ClickHouseClient {
    let rows = 0;
    for (const t of this.book.domains.values()) rows += t.appended;
    const timeoutMs = clickhouseQueryTimeoutMs(this.requestTimeoutMs, rows);
    // Small runs (the gate's 15M rows: +75 s) keep the insert client's bound.
    if (timeoutMs <= 2 * this.requestTimeoutMs) return this.client;
    const newest = this.queryClients.at(-1);
    if (newest !== undefined && newest.timeoutMs >= timeoutMs) return newest.client;
    const client = this.clientWith(timeoutMs);
    this.queryClients.push({ client, timeoutMs });
    return client;
  }

  /**
   * The pattern question answered inside ClickHouse: per domain of `regexes` (RE2, as a spec
   * derives them), how many stored IDs do not match, in one scan of the run's table. Only the
   * regexes and domain names enter the SQL text, as printable-ASCII literals; IDs never do.
   */
  async countNotMatching(regexes: ReadonlyMap<DomainName, string>): Promise<Map<DomainName, { ids: number; nonMatching: number }>> {
    this.book.ensureOpen('countNotMatching', 'ask before close');
    const api = 'ClickHouseLedger.countNotMatching';
    const branches = [...regexes].flatMap(([d, re]) => [`domain = ${sqlStringLiteral(api, d)}`, `match(id, ${sqlStringLiteral(api, re)})`]);
    const matches = branches.length === 0 ? '0' : `multiIf(${branches.join(', ')}, 1)`;
    try {
      await this.settled();
      const rows = await this.rowsOf<{ domain: string; n: string | number; bad: string | number }>(`SELECT domain, count() AS n, countIf(NOT ${matches}) AS bad FROM ${this.db}.ids GROUP BY domain`);
      const out = new Map<DomainName, { ids: number; nonMatching: number }>();
      for (const r of rows) if (regexes.has(r.domain)) out.set(r.domain, { ids: Number(r.n), nonMatching: Number(r.bad) });
      return out;
    } catch (e) {
      throw infra('countNotMatching', e);
    }
  }

  async verify(): Promise<LedgerVerdict> {
    return this.book.verify(async () => {
      await this.settled();
      return this.verifyInSql();
    }, infra);
  }

  private async verifyInSql(): Promise<LedgerVerdict> {
    const db = this.db;
    const names = [...this.book.domains.keys()].sort(compareIds);
    const stored = new Map<string, number>();
    for (const r of await this.rowsOf<{ domain: string; n: string }>(`SELECT domain, count() AS n FROM ${db}.ids GROUP BY domain`)) stored.set(r.domain, Number(r.n));

    // Exact reconciliation per batch: rows present against rows the manifest promised.
    const perBatch = new Map<string, { lost: number; extra: number }>();
    const reconcile = await this.rowsOf<{ domain: string; lost: string; extra: string }>(
      `SELECT domain, sum(rows > got ? rows - got : 0) AS lost, sum(got > rows ? got - rows : 0) AS extra
       FROM (SELECT b, domain, rows FROM ${db}.manifest) ANY LEFT JOIN (SELECT b, count() AS got FROM ${db}.ids GROUP BY b) USING b
       GROUP BY domain`,
    );
    for (const r of reconcile) perBatch.set(r.domain, { lost: Number(r.lost), extra: Number(r.extra) });

    // Candidates by 64-bit hash, then exact (id, domain) groups of the candidates only.
    await this.command(`DROP TABLE IF EXISTS ${db}.rep`);
    await this.command(`CREATE TABLE ${db}.rep (id String, domain String, c UInt64, owners Array(UInt32)) ENGINE = MergeTree ORDER BY id`);
    await this.command(
      `INSERT INTO ${db}.rep SELECT id, domain, count(), arraySort(groupUniqArray(owner)) FROM ${db}.ids
       WHERE cityHash64(id) IN (SELECT h FROM (SELECT cityHash64(id) AS h, count() AS c FROM ${db}.ids GROUP BY h HAVING c > 1))
       GROUP BY id, domain`,
    );
    const grouped = `SELECT id, groupArray(domain) AS ds, groupArray(c) AS cs, sum(c) AS total, groupArray(length(owners)) AS nos,
       arraySort(groupUniqArrayArray(owners)) AS ow, groupArrayIf(domain, length(owners) > 1) AS mds
       FROM ${db}.rep GROUP BY id HAVING total > 1`;
    const tallies = new Map<string, { ids: number; dup: number; cross: number; multi: number; extra: number }>();
    for (const r of await this.rowsOf<Record<string, string>>(
      `SELECT d, count() AS ids, countIf(c1 > 1) AS dup, countIf(length(ds) > 1) AS cross, countIf(no1 > 1) AS multi, sum(c1 - 1) AS extra
       FROM (${grouped}) ARRAY JOIN ds AS d, cs AS c1, nos AS no1 GROUP BY d`,
    )) {
      tallies.set(r.d!, { ids: Number(r.ids), dup: Number(r.dup), cross: Number(r.cross), multi: Number(r.multi), extra: Number(r.extra) });
    }

    const cols = 'id, ds, cs, ow, mds';
    const limit = this.maxExamples;
    const exampleRows = [
      ...(limit > 0 ? await this.rowsOf<ExampleRow>(`SELECT ${cols} FROM (${grouped}) ORDER BY id LIMIT ${limit}`) : []),
      ...(limit > 0 ? await this.rowsOf<ExampleRow>(`SELECT ${cols} FROM (${grouped}) WHERE length(mds) > 0 ORDER BY id LIMIT ${limit}`) : []),
      ...(await this.rowsOf<ExampleRow>(`SELECT ${cols} FROM (${grouped}) ARRAY JOIN ds AS d, cs AS c1 WHERE c1 > 1 ORDER BY d, id LIMIT ${QUOTED} BY d`)),
      ...(await this.rowsOf<ExampleRow>(`SELECT ${cols} FROM (${grouped}) ARRAY JOIN ds AS d WHERE length(ds) > 1 ORDER BY d, id LIMIT ${QUOTED} BY d`)),
      ...(await this.rowsOf<ExampleRow>(`SELECT ${cols} FROM (${grouped}) ARRAY JOIN mds AS d ORDER BY d, id LIMIT ${QUOTED} BY d`)),
    ];
    const byId = new Map<string, IdExample>();
    for (const r of exampleRows) if (!byId.has(r.id)) byId.set(r.id, toExample(r));
    const examples = [...byId.values()].sort((x, y) => compareIds(x.id, y.id));
    const multiOwner = examples.filter((e) => e.multiOwnerDomains.length > 0);

    const domains: DomainTally[] = names.map((domain) => {
      const s = stored.get(domain) ?? 0;
      const t = tallies.get(domain) ?? { ids: 0, dup: 0, cross: 0, multi: 0, extra: 0 };
      return { domain, appended: this.book.domains.get(domain)!.appended, stored: s, distinct: s - t.extra, duplicateIds: t.dup, crossDomainIds: t.cross, multiOwnerIds: t.multi };
    });
    const findings = verdictFindings('clickhouse', domains, examples, multiOwner);
    // Losses and extras in different batches of one domain cancel in the totals; say so.
    for (const t of domains) {
      const pb = perBatch.get(t.domain);
      if (pb && pb.lost > 0 && pb.extra > 0) {
        findings.push({
          kind: 'lost-write',
          domain: t.domain,
          rule: 'per-batch',
          source: 'clickhouse',
          message: `${t.domain}: the clickhouse ledger misses ${pb.lost} row(s) of some batches and holds ${pb.extra} extra row(s) in others`,
          ids: [],
          owners: [],
          evidence: { lost: pb.lost, extra: pb.extra },
        });
      }
    }
    return { ledger: 'clickhouse', domains, duplicates: examples.slice(0, limit), multiOwner: multiOwner.slice(0, limit), findings };
  }

  /**
   * Which of `ids` the ledger holds, as ClickHouse returns them: the IDs are inserted into a
   * lookup table (never SQL text) and joined; the answer is the stored IDs, byte for byte.
   */
  async lookup(ids: readonly string[]): Promise<string[]> {
    try {
      await this.settled();
      await this.command(`DROP TABLE IF EXISTS ${this.db}.lookup`);
      await this.command(`CREATE TABLE ${this.db}.lookup (id String) ENGINE = MergeTree ORDER BY id`);
      await this.insertTsv('lookup', [ids.map((id) => `${escapeTsv(id)}\n`).join('')]);
      const rows = await this.rowsOf<{ id: string }>(`SELECT id FROM ${this.db}.ids WHERE id IN (SELECT id FROM ${this.db}.lookup) GROUP BY id`);
      return rows.map((r) => r.id).sort(compareIds);
    } catch (e) {
      throw infra('lookup', e);
    }
  }

  /**
   * Drops the run's database (nothing else) and closes the client; buffered rows are dropped with
   * it and appends still waiting fail. A shard of a sharded run keeps its database: its buffered
   * rows are written first, and a failed insert throws. Idempotent.
   */
  close(): Promise<void> {
    // A second call waits for the first: closing a shard may write a whole buffer first.
    this.closing ??= this.closeOnce();
    return this.closing;
  }

  private async closeOnce(): Promise<void> {
    this.book.closed = true;
    try {
      if (this.keepDatabase) {
        await this.settled();
      } else {
        const closed = new UsageError('IDGATE_LEDGER_CLOSED', 'ClickHouseLedger: the ledger was closed before its buffered batches were written', 'await flush() or verify() before close()');
        this.dropped = closed;
        // Their rows are gone with the database.
        this.failWaiting(closed);
        // The insert running ends before its database goes.
        await this.running?.catch(() => undefined);
        await this.client.command({ query: `DROP DATABASE IF EXISTS ${this.db}` });
      }
    } catch (e) {
      throw infra('close', e);
    } finally {
      await Promise.all([this.client, ...this.queryClients.map((q) => q.client)].map((c) => c.close()));
    }
  }
}

function toExample(r: ExampleRow): IdExample {
  const order = r.ds.map((d, i) => [d, Number(r.cs[i])] as const).sort((x, y) => compareIds(x[0], y[0]));
  const counts = order.map(([, c]) => c);
  return {
    id: r.id,
    domains: order.map(([d]) => d),
    counts,
    occurrences: counts.reduce((a, b) => a + b, 0),
    owners: r.ow.map(Number),
    multiOwnerDomains: [...r.mds].sort(compareIds),
  };
}
