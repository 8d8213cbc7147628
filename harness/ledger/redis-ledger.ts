import { closeSync, openSync, writeSync } from 'node:fs';
import { Redis } from 'ioredis';
import { InfrastructureError, UsageError, validateIdBatch, type DomainName, type IdBatch } from '../model/index.js';
import { compareIds } from './compare-ids.js';
import { encodeIds } from './encode-batch.js';
import { fingerprintAll, fingerprintOf } from './fingerprint.js';
import type { DomainTally, IdExample, Ledger, LedgerOptions, LedgerVerdict } from './ledger.js';
import { RespConnection, RespErrorReply, type RespReply } from './resp-connection.js';
import { encodeCommand } from './resp-encoder.js';
import { bucketBase, encodeRecordChunk } from './redis-record-command.js';
import { RECORD_SCRIPT, RECORD_SCRIPT_SHA } from './redis-ledger-script.js';
import { newRunId, validateRunId } from './run-id.js';
import { verdictFindings } from './verdict-findings.js';

/** Options of {@link RedisLedger.open}. */
export interface RedisLedgerOptions extends LedgerOptions {
  /** `redis://[user:pass@]host:port[/db]`. Required. */
  readonly url: string;
  /** Names the run's key namespace `idgate:<runId>:`. Default: a random ID. */
  readonly runId?: string;
  /** TTL of every key, so a crashed run's keys expire. Default: 86 400 s. */
  readonly ttlSeconds?: number;
  /** Buckets IDs are spread over (a power of two). Default: 1024. */
  readonly buckets?: number;
  /** Most IDs per EVALSHA (one script call blocks Redis while it runs). Default: 20 000. */
  readonly chunkIds?: number;
  /** Bound on connecting. Default: 5 000 ms. */
  readonly connectTimeoutMs?: number;
  /** Bound on any one command or script call. Default: 60 000 ms. */
  readonly commandTimeoutMs?: number;
  /** Write the exact bulk command stream (RESP, preceded by SCRIPT LOAD) to this file, for benchmarks. */
  readonly recordRespTo?: string;
}

const FIELDS = ['s', 'd', 'u', 'x', 'm'] as const;
const QUOTED = 10;

function infra(what: string, e: unknown): InfrastructureError {
  if (e instanceof InfrastructureError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  return new InfrastructureError('IDGATE_REDIS_FAILED', `RedisLedger.${what}: Redis failed (${msg})`, 'check that Redis is running and reachable; the run proves nothing until it is', { cause: e });
}

/**
 * The Redis ledger. Bulk writes go over a raw socket as one `EVALSHA` per chunk (RESP built in
 * Node), and the script detects repeats, multi-owner and cross-domain IDs inside Redis; `verify`
 * reads only counters and the capped example sets, never the IDs themselves. Keys live under
 * `idgate:<runId>:`, spread over hash-tagged buckets, each with a TTL. Lost/unexpected writes
 * are found by reconciling per-domain counts: what Node appended against what the script counted.
 */
export class RedisLedger implements Ledger {
  readonly kind = 'redis' as const;
  /** The run's key prefix, `idgate:<runId>:`. */
  readonly prefix: string;
  private readonly domains = new Map<DomainName, { appended: number; acknowledged: number }>();
  private readonly batches = new Set<string>();
  private fa = new Uint32Array(0);
  private fb = new Uint32Array(0);
  private closed = false;
  private broken: InfrastructureError | undefined;

  private constructor(
    private readonly writer: RespConnection,
    private readonly control: Redis,
    readonly runId: string,
    private readonly opts: Required<Omit<RedisLedgerOptions, 'recordRespTo' | 'runId'>>,
    private readonly recordFd: number | undefined,
  ) {
    this.prefix = `idgate:${runId}:`;
  }

  /** Connects (bounded), loads the script and returns a ledger ready for appends. */
  static async open(options: RedisLedgerOptions): Promise<RedisLedger> {
    const api = 'RedisLedger.open';
    const runId = validateRunId(api, options.runId ?? newRunId());
    const buckets = options.buckets ?? 1024;
    if (!Number.isInteger(buckets) || buckets < 1 || (buckets & (buckets - 1)) !== 0 || buckets > 1 << 20) {
      throw new UsageError('IDGATE_BAD_OPTION', `${api}: buckets ${buckets} is not a power of two between 1 and 2^20`, 'pass a power of two such as 1024');
    }
    const opts = {
      url: options.url,
      maxExamples: options.maxExamples ?? 100,
      ttlSeconds: options.ttlSeconds ?? 86_400,
      buckets,
      chunkIds: options.chunkIds ?? 20_000,
      connectTimeoutMs: options.connectTimeoutMs ?? 5000,
      commandTimeoutMs: options.commandTimeoutMs ?? 60_000,
    };
    for (const [name, v] of [['ttlSeconds', opts.ttlSeconds], ['chunkIds', opts.chunkIds]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new UsageError('IDGATE_BAD_OPTION', `${api}: ${name} ${v} is not a positive integer`, `pass a positive integer ${name}`);
    }
    if (!Number.isInteger(opts.maxExamples) || opts.maxExamples < 0) {
      throw new UsageError('IDGATE_BAD_OPTION', `${api}: maxExamples ${opts.maxExamples} is not a non-negative integer`, 'pass 0 or more');
    }
    const control = new Redis(options.url, {
      lazyConnect: true,
      connectTimeout: opts.connectTimeoutMs,
      commandTimeout: opts.commandTimeoutMs,
      maxRetriesPerRequest: 1,
      // Give up after a few quick tries: a dead store must end the run, not stall it.
      retryStrategy: (times: number) => (times > 3 ? null : 100 * times),
      reconnectOnError: null,
      enableOfflineQueue: false,
      enableAutoPipelining: false,
    });
    control.on('error', () => {
      // Surfaced through the failing command; the listener keeps Node from crashing.
    });
    let writer: RespConnection | undefined;
    try {
      await control.connect();
      writer = await RespConnection.open(options.url, { connectTimeoutMs: opts.connectTimeoutMs, commandTimeoutMs: opts.commandTimeoutMs });
      const [sha] = await writer.request(encodeCommand(['SCRIPT', 'LOAD', RECORD_SCRIPT]), 1);
      if (!Buffer.isBuffer(sha) || sha.toString() !== RECORD_SCRIPT_SHA) throw new Error(`SCRIPT LOAD answered ${JSON.stringify(sha)}`);
    } catch (e) {
      writer?.close();
      control.disconnect();
      throw e instanceof InfrastructureError ? e : infra('open', e);
    }
    let fd: number | undefined;
    if (options.recordRespTo !== undefined) {
      fd = openSync(options.recordRespTo, 'w');
      writeSync(fd, encodeCommand(['SCRIPT', 'LOAD', RECORD_SCRIPT]));
    }
    return new RedisLedger(writer, control, runId, opts, fd);
  }

  /** IDs per domain whose script call Redis acknowledged (what Redis counted, as it told us). */
  acknowledged(domain: DomainName): number {
    return this.domains.get(domain)?.acknowledged ?? 0;
  }

  async append(batch: IdBatch): Promise<void> {
    if (this.closed) throw new UsageError('IDGATE_LEDGER_CLOSED', 'RedisLedger.append: the ledger is closed', 'open a new ledger');
    if (this.broken) throw this.broken;
    validateIdBatch(batch);
    if (this.batches.has(batch.batchId)) return;
    this.batches.add(batch.batchId);
    let dom = this.domains.get(batch.domain);
    if (dom === undefined) {
      dom = { appended: 0, acknowledged: 0 };
      this.domains.set(batch.domain, dom);
    }
    const n = batch.ids.length;
    // Counted before sending: a write Redis never acknowledges shows as lost.
    dom.appended += n;
    if (n === 0) return;
    const { bytes, offsets } = encodeIds(batch.ids);
    if (this.fa.length < n) {
      this.fa = new Uint32Array(n);
      this.fb = new Uint32Array(n);
    }
    fingerprintAll(bytes, offsets, this.fa, this.fb);
    const buckets = this.fa.subarray(0, n);
    const mask = this.opts.buckets - 1;
    for (let i = 0; i < n; i++) buckets[i]! &= mask;
    // Each chunk is written as soon as it is encoded, so Redis runs chunk i while Node encodes i+1.
    const pending: Promise<RespReply[]>[] = [];
    const sizes: number[] = [];
    const maxBytes = 64 * 1024 * 1024;
    for (let start = 0, c = 0; start < n; c++) {
      let end = Math.min(n, start + this.opts.chunkIds);
      // Keep a script call's arguments well inside Redis's query buffer.
      while (end - start > 1 && offsets[end]! - offsets[start]! > maxBytes) end = start + Math.max(1, (end - start) >>> 1);
      const command = encodeRecordChunk({
        prefix: this.prefix,
        ttlSeconds: this.opts.ttlSeconds,
        domain: batch.domain,
        cap: Math.max(this.opts.maxExamples, QUOTED),
        marker: `${c}:${batch.batchId}`,
        bytes,
        offsets,
        owners: batch.owners,
        buckets,
        start,
        end,
      });
      if (this.recordFd !== undefined) writeSync(this.recordFd, command);
      const reply = this.writer.request(command, 1);
      reply.catch(() => undefined); // observed below, all together
      pending.push(reply);
      sizes.push(end - start);
      start = end;
    }
    let replies: RespReply[];
    try {
      replies = (await Promise.all(pending)).map((r) => r[0]!);
    } catch (e) {
      this.broken = infra('append', e);
      throw this.broken;
    }
    let failure: InfrastructureError | undefined;
    replies.forEach((r, i) => {
      if (r === -1) dom.appended -= sizes[i]!; // recorded by an earlier process of this run
      else if (typeof r === 'number') dom.acknowledged += r;
      else {
        const why = r instanceof RespErrorReply ? r.message : `unexpected reply ${JSON.stringify(r)}`;
        failure ??= new InfrastructureError('IDGATE_REDIS_SCRIPT', `RedisLedger.append: Redis did not record chunk ${i} of batch ${JSON.stringify(batch.batchId)} (${why})`, 'check the Redis server log; a restarted Redis lost its data and the run must start again');
      }
    });
    if (failure) {
      this.broken = failure;
      throw failure;
    }
  }

  async verify(): Promise<LedgerVerdict> {
    if (this.closed) throw new UsageError('IDGATE_LEDGER_CLOSED', 'RedisLedger.verify: the ledger is closed', 'verify before close');
    if (this.broken) throw this.broken;
    try {
      return await this.verifyInRedis();
    } catch (e) {
      throw infra('verify', e);
    }
  }

  private async verifyInRedis(): Promise<LedgerVerdict> {
    const names = [...this.domains.keys()].sort(compareIds);
    const fields = names.flatMap((d) => FIELDS.map((f) => `${f}:${d}`));
    const B = this.opts.buckets;
    const cap = Math.max(this.opts.maxExamples, QUOTED);
    const sums = new Map(names.map((d) => [d, { s: 0, d: 0, u: 0, x: 0, m: 0 }]));
    const perBucket: number[][] = [];
    if (names.length > 0) {
      const p = this.control.pipeline();
      for (let k = 0; k < B; k++) p.hmget(`${bucketBase(this.prefix, k)}n`, ...fields);
      const res = await execPipeline(p);
      for (let k = 0; k < B; k++) {
        const row = (res[k] as (string | null)[]).map((v) => (v === null ? 0 : Number(v)));
        perBucket.push(row);
        names.forEach((d, di) => {
          const s = sums.get(d)!;
          FIELDS.forEach((f, fi) => (s[f] += row[di * FIELDS.length + fi]!));
        });
      }
    }

    // Example sets: only from buckets whose counters say they hold any.
    const reads: { list: string; key: string; stop: number }[] = [];
    for (let k = 0; k < B && names.length > 0; k++) {
      const row = perBucket[k]!;
      const base = bucketBase(this.prefix, k);
      let anyDup = false;
      let anyMulti = false;
      names.forEach((d, di) => {
        const [, , u, x, m] = FIELDS.map((_, fi) => row[di * FIELDS.length + fi]!);
        if (u! > 0) reads.push({ list: `u:${d}`, key: `${base}zu:${d}`, stop: QUOTED - 1 });
        if (x! > 0) reads.push({ list: `x:${d}`, key: `${base}zx:${d}`, stop: QUOTED - 1 });
        if (m! > 0) reads.push({ list: `m:${d}`, key: `${base}zm:${d}`, stop: QUOTED - 1 });
        anyDup ||= u! > 0 || x! > 0;
        anyMulti ||= m! > 0;
      });
      if (anyDup) reads.push({ list: 'D', key: `${base}zD`, stop: cap - 1 });
      if (anyMulti) reads.push({ list: 'M', key: `${base}zM`, stop: cap - 1 });
    }
    const lists = new Map<string, string[]>();
    if (reads.length > 0) {
      const p = this.control.pipeline();
      for (const r of reads) p.zrangeBuffer(r.key, 0, String(r.stop));
      const res = await execPipeline(p);
      reads.forEach((r, i) => {
        const l = lists.get(r.list) ?? [];
        for (const b of res[i] as Buffer[]) l.push(b.toString('utf8'));
        lists.set(r.list, l);
      });
    }
    const top = (list: string, k: number) => [...new Set(lists.get(list) ?? [])].sort(compareIds).slice(0, k);
    const wanted = new Set<string>([...top('D', this.opts.maxExamples), ...top('M', this.opts.maxExamples)]);
    for (const d of names) for (const c of ['u', 'x', 'm']) for (const id of top(`${c}:${d}`, QUOTED)) wanted.add(id);
    const examples = await this.details([...wanted].sort(compareIds));

    const duplicates = examples;
    const multiOwner = examples.filter((e) => e.multiOwnerDomains.length > 0);
    const domains: DomainTally[] = names.map((domain) => {
      const s = sums.get(domain)!;
      return {
        domain,
        appended: this.domains.get(domain)!.appended,
        stored: s.s,
        distinct: s.d,
        duplicateIds: s.u,
        crossDomainIds: s.x,
        multiOwnerIds: s.m,
      };
    });
    return {
      ledger: 'redis',
      domains,
      duplicates: duplicates.slice(0, this.opts.maxExamples),
      multiOwner: multiOwner.slice(0, this.opts.maxExamples),
      findings: verdictFindings('redis', domains, duplicates, multiOwner),
    };
  }

  /** Domains, counts and owners of specific repeated IDs (HGET of their state, their owner set). */
  private async details(ids: readonly string[]): Promise<IdExample[]> {
    if (ids.length === 0) return [];
    const p = this.control.pipeline();
    for (const id of ids) {
      const bytes = Buffer.from(id, 'utf8');
      const base = bucketBase(this.prefix, fingerprintOf(bytes)[0] & (this.opts.buckets - 1));
      p.hgetBuffer(`${base}h`, bytes);
      p.zrangeBuffer(Buffer.concat([Buffer.from(`${base}o:`), bytes]), 0, "-1");
    }
    const res = await execPipeline(p);
    return ids.map((id, i) => {
      const raw = res[2 * i] as Buffer | null;
      const owners = (res[2 * i + 1] as Buffer[]).map((b) => Number(b.toString()));
      if (raw === null || raw[0] !== 0x7b) {
        throw new InfrastructureError('IDGATE_REDIS_STATE', `RedisLedger.verify: the state of a repeated ID is missing or malformed`, 'the run\'s keys were changed or expired during the run; start the run again with a longer ttlSeconds');
      }
      const state = JSON.parse(raw.toString('utf8')) as Record<string, [number, string, string?]>;
      const ds = Object.keys(state).sort(compareIds);
      const counts = ds.map((d) => state[d]![0]);
      return {
        id,
        domains: ds,
        counts,
        occurrences: counts.reduce((a, b) => a + b, 0),
        owners: owners.sort((a, b) => a - b),
        multiOwnerDomains: ds.filter((d) => state[d]![2] !== undefined),
      };
    });
  }

  /**
   * Which of `ids` the ledger holds, as Redis answers by exact bytes (HEXISTS), for read-back
   * tests. Returns one boolean per ID.
   */
  async holds(ids: readonly string[]): Promise<boolean[]> {
    if (ids.length === 0) return [];
    const p = this.control.pipeline();
    for (const id of ids) {
      const bytes = Buffer.from(id, 'utf8');
      p.hexists(`${bucketBase(this.prefix, fingerprintOf(bytes)[0] & (this.opts.buckets - 1))}h`, bytes);
    }
    try {
      const res = await execPipeline(p);
      return res.map((r) => r === 1);
    } catch (e) {
      throw infra('holds', e);
    }
  }

  /** Deletes every key under the run's prefix (SCAN + UNLINK), then disconnects. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.writer.close();
    if (this.recordFd !== undefined) closeSync(this.recordFd);
    try {
      let cursor = '0';
      do {
        const [next, keys] = await this.control.scanBuffer(cursor, 'MATCH', `${this.prefix}*`, 'COUNT', 1000);
        cursor = next.toString();
        if (keys.length > 0) await this.control.unlink(...keys);
      } while (cursor !== '0');
    } catch (e) {
      throw infra('close', e);
    } finally {
      this.control.disconnect();
    }
  }
}

async function execPipeline(p: ReturnType<Redis['pipeline']>): Promise<unknown[]> {
  const res = await p.exec();
  if (res === null) throw new Error('the pipeline was discarded');
  return res.map(([err, value]) => {
    if (err) throw err;
    return value;
  });
}
