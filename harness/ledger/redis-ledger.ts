import { closeSync, openSync, writeSync } from 'node:fs';
import { Redis } from 'ioredis';
import { InfrastructureError, UsageError, validateIdBatch, type DomainName, type IdBatch } from '../model/index.js';
import { compareIds } from './compare-ids.js';
import { encodeIds } from './encode-batch.js';
import { fingerprintAll } from './fingerprint.js';
import { IdArena } from './id-arena.js';
import type { DomainTally, IdExample, Ledger, LedgerOptions, LedgerVerdict } from './ledger.js';
import { RespConnection, type IntegerReplies } from './resp-connection.js';
import { encodeCommand, RespEncoder, respBulkSize } from './resp-encoder.js';
import { bucketKey, decodeIndexValue, encodeIndexChunk, runBase } from './redis-index-command.js';
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
  /**
   * IDs the run expects; sizes the fingerprint buckets so each holds about 32–64 entries and
   * stays a small listpack (Redis's default `hash-max-listpack-entries` is 128). Default: 16M.
   */
  readonly expectedIds?: number;
  /** Fingerprint buckets (a power of two, at most 2^22). Default: from `expectedIds`. */
  readonly buckets?: number;
  /** Most IDs per pipelined request. Default: 20 000. */
  readonly chunkIds?: number;
  /** Bound on connecting. Default: 5 000 ms. */
  readonly connectTimeoutMs?: number;
  /** Bound on any one command or script call. Default: 60 000 ms. */
  readonly commandTimeoutMs?: number;
  /** Write the exact command stream the ledger sends (RESP, SCRIPT LOAD first) to this file, for benchmarks. */
  readonly recordRespTo?: string;
  /**
   * For tests of exactness: keep only this many bits of each 64-bit fingerprint (1–64), so that
   * distinct IDs collide and must be told apart by their bytes. Default: 64.
   */
  readonly fingerprintBits?: number;
}

const FIELDS = ['s', 'd', 'u', 'x', 'm'] as const;
const QUOTED = 10;
/** Most events per script call: one call blocks Redis while it runs. */
const EVENTS_PER_CALL = 2000;

function infra(what: string, e: unknown): InfrastructureError {
  if (e instanceof InfrastructureError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  return new InfrastructureError('IDGATE_REDIS_FAILED', `RedisLedger.${what}: Redis failed (${msg})`, 'check that Redis is running and reachable; the run proves nothing until it is', { cause: e });
}

function nextPow2(x: number): number {
  let p = 1;
  while (p < x) p *= 2;
  return p;
}

/** A fingerprint Redis already held, confirmed against the first occurrence's bytes. */
interface RepeatEvent {
  readonly equal: boolean;
  readonly id: Uint8Array;
  readonly owner: number;
  readonly domain: string;
  readonly firstOwner: number;
  readonly firstDomain: string;
}

/**
 * The Redis ledger, a fingerprint index. Per ID Redis keeps an 8-byte fingerprint and an 11-byte
 * value (ordinal, domain, owner) in hash buckets small enough to stay listpack-encoded, about
 * 26 bytes per ID in all; full IDs only for repeats. Bulk writes are one `HSETNX` per ID,
 * pipelined over a raw socket (no Lua per ID, which cost 3.1 µs of Redis CPU per ID against
 * HSETNX's 1.9 µs). HSETNX never overwrites, so a 0 reply names a fingerprint seen before and
 * its value names the first occurrence: Node compares the bytes with that occurrence's, read
 * from the ledger's own on-disk arena, and the record script then keeps the exact state of the
 * repeat (or of a collision of two distinct IDs) in Redis, by the ID's bytes. Counters, repeat
 * states and examples live in Redis; `verify` reads only those, never the IDs. Keys live under
 * `idgate:<runId>:`, each with a TTL. Lost/unexpected writes are found by reconciling per-domain
 * counts: what Node appended against what Redis acknowledged.
 */
export class RedisLedger implements Ledger {
  readonly kind = 'redis' as const;
  /** The run's key prefix, `idgate:<runId>:`. */
  readonly prefix: string;
  private readonly base: string;
  private readonly domains = new Map<DomainName, { index: number; appended: number; acknowledged: number }>();
  private readonly domainNames: DomainName[] = [];
  private readonly batches = new Set<string>();
  private readonly arena = new IdArena();
  private readonly expiring: Uint8Array;
  private readonly mask: number;
  private readonly fpMaskA: number;
  private readonly fpMaskB: number;
  private fa = new Uint32Array(0);
  private fb = new Uint32Array(0);
  private closed = false;
  private broken: InfrastructureError | undefined;

  private constructor(
    private readonly writer: RespConnection,
    private readonly control: Redis,
    readonly runId: string,
    private readonly opts: { maxExamples: number; ttlSeconds: number; buckets: number; chunkIds: number; fingerprintBits: number },
    private readonly recordFd: number | undefined,
  ) {
    this.prefix = `idgate:${runId}:`;
    this.base = runBase(this.prefix);
    this.expiring = new Uint8Array(opts.buckets);
    this.mask = opts.buckets - 1;
    const bits = opts.fingerprintBits;
    this.fpMaskA = bits >= 32 ? 0xffffffff : 2 ** bits - 1;
    this.fpMaskB = bits >= 64 ? 0xffffffff : bits <= 32 ? 0 : 2 ** (bits - 32) - 1;
  }

  /** Connects (bounded), loads the script and returns a ledger ready for appends. */
  static async open(options: RedisLedgerOptions): Promise<RedisLedger> {
    const api = 'RedisLedger.open';
    const runId = validateRunId(api, options.runId ?? newRunId());
    const expectedIds = options.expectedIds ?? 16_000_000;
    if (!Number.isInteger(expectedIds) || expectedIds < 0) throw new UsageError('IDGATE_BAD_OPTION', `${api}: expectedIds ${expectedIds} is not a non-negative integer`, 'pass an ID count such as 100000000');
    const buckets = options.buckets ?? Math.min(1 << 22, Math.max(1024, nextPow2(Math.ceil(expectedIds / 64))));
    if (!Number.isInteger(buckets) || buckets < 1 || (buckets & (buckets - 1)) !== 0 || buckets > 1 << 22) {
      throw new UsageError('IDGATE_BAD_OPTION', `${api}: buckets ${buckets} is not a power of two between 1 and 2^22`, 'pass a power of two such as 262144, or pass expectedIds instead');
    }
    const opts = {
      maxExamples: options.maxExamples ?? 100,
      ttlSeconds: options.ttlSeconds ?? 86_400,
      buckets,
      chunkIds: options.chunkIds ?? 20_000,
      fingerprintBits: options.fingerprintBits ?? 64,
    };
    const timeouts = { connectTimeoutMs: options.connectTimeoutMs ?? 5000, commandTimeoutMs: options.commandTimeoutMs ?? 60_000 };
    for (const [name, v] of [['ttlSeconds', opts.ttlSeconds], ['chunkIds', opts.chunkIds]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new UsageError('IDGATE_BAD_OPTION', `${api}: ${name} ${v} is not a positive integer`, `pass a positive integer ${name}`);
    }
    if (!Number.isInteger(opts.maxExamples) || opts.maxExamples < 0) {
      throw new UsageError('IDGATE_BAD_OPTION', `${api}: maxExamples ${opts.maxExamples} is not a non-negative integer`, 'pass 0 or more');
    }
    if (!Number.isInteger(opts.fingerprintBits) || opts.fingerprintBits < 1 || opts.fingerprintBits > 64) {
      throw new UsageError('IDGATE_BAD_OPTION', `${api}: fingerprintBits ${opts.fingerprintBits} is not between 1 and 64`, 'leave it at 64 outside tests');
    }
    const control = new Redis(options.url, {
      lazyConnect: true,
      connectTimeout: timeouts.connectTimeoutMs,
      commandTimeout: timeouts.commandTimeoutMs,
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
      writer = await RespConnection.open(options.url, timeouts);
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

  /** IDs per domain whose writes Redis acknowledged (what Redis counted, as it told us). */
  acknowledged(domain: DomainName): number {
    return this.domains.get(domain)?.acknowledged ?? 0;
  }

  /** Fingerprint buckets in use (fixed when the ledger opens). */
  get buckets(): number {
    return this.opts.buckets;
  }

  private send(payload: Buffer, replies: number): Promise<IntegerReplies> {
    if (this.recordFd !== undefined) writeSync(this.recordFd, payload);
    const p = this.writer.requestIntegers(payload, replies);
    p.catch(() => undefined); // observed by the caller, perhaps later
    return p;
  }

  async append(batch: IdBatch): Promise<void> {
    if (this.closed) throw new UsageError('IDGATE_LEDGER_CLOSED', 'RedisLedger.append: the ledger is closed', 'open a new ledger');
    if (this.broken) throw this.broken;
    validateIdBatch(batch);
    if (this.batches.has(batch.batchId)) return;
    this.batches.add(batch.batchId);
    let dom = this.domains.get(batch.domain);
    if (dom === undefined) {
      if (this.domainNames.length >= 0xffff) throw new UsageError('IDGATE_TOO_MANY_DOMAINS', 'RedisLedger.append: more than 65 535 domains', 'use fewer domains per run');
      dom = { index: this.domainNames.length, appended: 0, acknowledged: 0 };
      this.domains.set(batch.domain, dom);
      this.domainNames.push(batch.domain);
    }
    const n = batch.ids.length;
    // Counted before sending: a write Redis never acknowledges shows as lost.
    dom.appended += n;
    if (n === 0) return;
    try {
      await this.record(batch, dom);
    } catch (e) {
      this.broken = infra('append', e);
      throw this.broken;
    }
  }

  private async record(batch: IdBatch, dom: { index: number; appended: number; acknowledged: number }): Promise<void> {
    const n = batch.ids.length;
    const base = this.base;
    // One marker per batch: a batch an earlier process of this run recorded is not counted twice.
    const marker = await this.send(Buffer.concat([encodeCommand(['SADD', `${base}batches`, batch.batchId]), encodeCommand(['EXPIRE', `${base}batches`, String(this.opts.ttlSeconds)])]), 2);
    check(marker, 'mark the batch');
    if (marker.values[0] === 0) {
      dom.appended -= n;
      return;
    }
    const { bytes, offsets } = encodeIds(batch.ids);
    const first = this.arena.append(dom.index, bytes, offsets, batch.owners);
    if (this.fa.length < n) {
      this.fa = new Uint32Array(n);
      this.fb = new Uint32Array(n);
    }
    const fa = this.fa.subarray(0, n);
    const fb = this.fb.subarray(0, n);
    fingerprintAll(bytes, offsets, fa, fb);
    if (this.opts.fingerprintBits < 64) {
      for (let i = 0; i < n; i++) {
        fa[i] = (fa[i]! & this.fpMaskA) >>> 0;
        fb[i] = (fb[i]! & this.fpMaskB) >>> 0;
      }
    }
    // Each chunk is written as soon as it is encoded, so Redis runs chunk i while Node encodes i+1.
    const chunks: { start: number; end: number; reply: Promise<IntegerReplies> }[] = [];
    for (let start = 0; start < n; ) {
      const end = Math.min(n, start + this.opts.chunkIds);
      const { payload, replies } = encodeIndexChunk({ prefix: this.prefix, a: fa, b: fb, mask: this.mask, owners: batch.owners, firstOrdinal: first, domain: dom.index, start, end, expiring: this.expiring, ttlSeconds: this.opts.ttlSeconds });
      chunks.push({ start, end, reply: this.send(payload, replies) });
      start = end;
    }
    // Fingerprints Redis already held: ask for their first occurrence, in the order sent.
    const hits: number[] = [];
    let fresh = 0;
    for (const c of chunks) {
      const r = await c.reply;
      check(r, 'index the batch');
      for (let i = c.start; i < c.end; i++) {
        if (r.values[i - c.start] === 1) fresh++;
        else hits.push(i);
      }
    }
    const tail: Buffer[] = [encodeCommand(['HINCRBY', `${base}n`, `s:${batch.domain}`, String(n)]), encodeCommand(['HINCRBY', `${base}n`, `d:${batch.domain}`, String(fresh)]), encodeCommand(['EXPIRE', `${base}n`, String(this.opts.ttlSeconds)])];
    if (hits.length > 0) {
      const events = await this.confirm(batch, dom.index, bytes, offsets, fa, fb, hits);
      for (let s = 0; s < events.length; s += EVENTS_PER_CALL) tail.push(this.encodeEvents(events.slice(s, s + EVENTS_PER_CALL)));
    }
    const done = await this.send(Buffer.concat(tail), tail.length);
    check(done, 'count the batch');
    dom.acknowledged += n;
  }

  /**
   * For each hit, reads the value of its fingerprint (the first occurrence: ordinal, domain,
   * owner) and compares the ID's bytes with that occurrence's bytes from the arena.
   */
  private async confirm(batch: IdBatch, domain: number, bytes: Buffer, offsets: Uint32Array, fa: Uint32Array, fb: Uint32Array, hits: readonly number[]): Promise<RepeatEvent[]> {
    const fp = Buffer.allocUnsafe(8);
    const gets = hits.map((i) => {
      fp.writeUInt32LE(fa[i]!, 0);
      fp.writeUInt32LE(fb[i]!, 4);
      return encodeBinaryCommand(['HGET', bucketKey(this.prefix, fa[i]! & this.mask)], [fp]);
    });
    const payload = Buffer.concat(gets);
    if (this.recordFd !== undefined) writeSync(this.recordFd, payload);
    const values = await this.writer.request(payload, gets.length);
    return hits.map((i, k) => {
      const v = values[k];
      if (!Buffer.isBuffer(v)) {
        throw new InfrastructureError('IDGATE_REDIS_STATE', `RedisLedger.append: the fingerprint of a repeated ID vanished from Redis (${JSON.stringify(v)})`, "the run's keys were changed or expired during the run; start the run again with a longer ttlSeconds");
      }
      const firstAt = decodeIndexValue(v);
      const id = bytes.subarray(offsets[i], offsets[i + 1]);
      const prior = this.arena.read(firstAt.ordinal);
      return { equal: prior.bytes.equals(id), id, owner: batch.owners[i]!, domain: this.domainNames[domain]!, firstOwner: firstAt.owner, firstDomain: this.domainNames[firstAt.domain]! };
    });
  }

  private encodeEvents(events: readonly RepeatEvent[]): Buffer {
    const strs: (string | Uint8Array)[] = ['EVALSHA', RECORD_SCRIPT_SHA, '0', String(this.opts.ttlSeconds), String(Math.max(this.opts.maxExamples, QUOTED)), this.base];
    for (const e of events) strs.push(e.equal ? 'e' : 'c', e.id, String(e.owner), e.domain, String(e.firstOwner), e.firstDomain);
    return encodeMixed(strs);
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
    const base = this.base;
    const cap = Math.max(this.opts.maxExamples, QUOTED);
    const sums = new Map(names.map((d) => [d, { s: 0, d: 0, u: 0, x: 0, m: 0 }]));
    if (names.length > 0) {
      const row = await this.control.hmget(`${base}n`, ...names.flatMap((d) => FIELDS.map((f) => `${f}:${d}`)));
      names.forEach((d, di) => {
        const s = sums.get(d)!;
        FIELDS.forEach((f, fi) => (s[f] = Number(row[di * FIELDS.length + fi] ?? 0)));
      });
    }
    // Example sets: only those whose counters say they hold any.
    const reads: { list: string; key: string; stop: number }[] = [];
    let anyDup = false;
    let anyMulti = false;
    for (const d of names) {
      const { u, x, m } = sums.get(d)!;
      if (u > 0) reads.push({ list: `u:${d}`, key: `${base}zu:${d}`, stop: QUOTED - 1 });
      if (x > 0) reads.push({ list: `x:${d}`, key: `${base}zx:${d}`, stop: QUOTED - 1 });
      if (m > 0) reads.push({ list: `m:${d}`, key: `${base}zm:${d}`, stop: QUOTED - 1 });
      anyDup ||= u > 0 || x > 0;
      anyMulti ||= m > 0;
    }
    if (anyDup) reads.push({ list: 'D', key: `${base}zD`, stop: cap - 1 });
    if (anyMulti) reads.push({ list: 'M', key: `${base}zM`, stop: cap - 1 });
    const lists = new Map<string, string[]>();
    if (reads.length > 0) {
      const p = this.control.pipeline();
      for (const r of reads) p.zrangeBuffer(r.key, 0, String(r.stop));
      const res = await execPipeline(p);
      reads.forEach((r, i) => lists.set(r.list, (res[i] as Buffer[]).map((b) => b.toString('utf8'))));
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
      p.hgetBuffer(`${this.base}h`, bytes);
      p.zrangeBuffer(Buffer.concat([Buffer.from(`${this.base}o:`), bytes]), 0, '-1');
    }
    const res = await execPipeline(p);
    return ids.map((id, i) => {
      const raw = res[2 * i] as Buffer | null;
      const owners = (res[2 * i + 1] as Buffer[]).map((b) => Number(b.toString()));
      if (raw === null || raw[0] !== 0x7b) {
        throw new InfrastructureError('IDGATE_REDIS_STATE', `RedisLedger.verify: the state of a repeated ID is missing or malformed`, "the run's keys were changed or expired during the run; start the run again with a longer ttlSeconds");
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
   * Which of `ids` the ledger holds, exactly: Redis answers whether it holds the fingerprint and
   * where its first occurrence is; the bytes are compared with that occurrence's, and an ID that
   * differs is looked up by its bytes among the collided IDs (HEXISTS). One boolean per ID.
   */
  async holds(ids: readonly string[]): Promise<boolean[]> {
    if (ids.length === 0) return [];
    const { bytes, offsets } = encodeIds(ids);
    const a = new Uint32Array(ids.length);
    const b = new Uint32Array(ids.length);
    fingerprintAll(bytes, offsets, a, b);
    try {
      const p = this.control.pipeline();
      const fp = Buffer.alloc(8);
      ids.forEach((_, i) => {
        fp.writeUInt32LE((a[i]! & this.fpMaskA) >>> 0, 0);
        fp.writeUInt32LE((b[i]! & this.fpMaskB) >>> 0, 4);
        p.hgetBuffer(bucketKey(this.prefix, (a[i]! & this.fpMaskA & this.mask) >>> 0), Buffer.from(fp));
        p.hexists(`${this.base}c`, bytes.subarray(offsets[i], offsets[i + 1]));
      });
      const res = await execPipeline(p);
      return ids.map((_, i) => {
        const v = res[2 * i] as Buffer | null;
        if (v === null) return false;
        if (this.arena.read(decodeIndexValue(v).ordinal).bytes.equals(bytes.subarray(offsets[i], offsets[i + 1]))) return true;
        return res[2 * i + 1] === 1;
      });
    } catch (e) {
      throw infra('holds', e);
    }
  }

  /** Deletes every key under the run's prefix (SCAN + UNLINK), then disconnects. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.writer.close();
    this.arena.close();
    if (this.recordFd !== undefined) closeSync(this.recordFd);
    try {
      let cursor = '0';
      do {
        const [next, keys] = await this.control.scanBuffer(cursor, 'MATCH', `${this.prefix}*`, 'COUNT', 10_000);
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

/** Throws when a pipelined request got a reply that is not an integer. */
function check(r: IntegerReplies, what: string): void {
  if (r.firstOther !== undefined) throw new InfrastructureError('IDGATE_REDIS_SCRIPT', `RedisLedger.append: Redis did not ${what} (${r.firstOther})`, 'check the Redis server log; a restarted Redis lost its data and the run must start again');
}

/** A command of string arguments followed by binary ones. */
function encodeBinaryCommand(strs: readonly string[], bins: readonly Uint8Array[]): Buffer {
  return encodeMixed([...strs, ...bins]);
}

/** A command whose arguments are strings (UTF-8) or bytes. */
function encodeMixed(args: readonly (string | Uint8Array)[]): Buffer {
  let size = String(args.length).length + 3;
  for (const a of args) size += respBulkSize(typeof a === 'string' ? Buffer.byteLength(a, 'utf8') : a.length);
  const e = new RespEncoder(size);
  e.arrayHeader(args.length);
  for (const a of args) {
    if (typeof a === 'string') e.str(a);
    else e.bytes(a, 0, a.length);
  }
  return e.finish();
}

async function execPipeline(p: ReturnType<Redis['pipeline']>): Promise<unknown[]> {
  const res = await p.exec();
  if (res === null) throw new Error('the pipeline was discarded');
  return res.map(([err, value]) => {
    if (err) throw err;
    return value;
  });
}
