import { closeSync, openSync, writeSync } from 'node:fs';
import { InfrastructureError, UsageError, type DomainName, type IdBatch } from '../model/index.js';
import { compareIds } from './compare-ids.js';
import { encodeBatch, encodeIds } from './encode-batch.js';
import { fingerprintAll } from './fingerprint.js';
import { IdArena } from './id-arena.js';
import type { DomainTally, IdExample, Ledger, LedgerOptions, LedgerVerdict } from './ledger.js';
import { keySlot } from './redis-key-slot.js';
import { RedisNodes } from './redis-nodes.js';
import { RespErrorReply, type IntegerReplies, type RespConnection, type RespReply } from './resp-connection.js';
import { encodeCommand, RespEncoder, respBulkSize } from './resp-encoder.js';
import { bucketKey, decodeIndexValue, encodeIndexChunk, runBase } from './redis-index-command.js';
import { RECORD_SCRIPT, RECORD_SCRIPT_SHA } from './redis-ledger-script.js';
import { claimShard, completeShard, readRunSettings, readShardMarkers, type ShardMarker } from './redis-shard-markers.js';
import { newRunId, validateRunId } from './run-id.js';
import { AppendBook } from './append-book.js';
import { verdictFindings } from './verdict-findings.js';

/** One shard of a run that several processes (or machines) write together. */
export interface RedisShard {
  /** This process's shard, 0-based, below `count`. */
  readonly index: number;
  /** Shards in the run, 1–255. */
  readonly count: number;
}

/** Options of {@link RedisLedger.open}. */
export interface RedisLedgerOptions extends LedgerOptions {
  /**
   * `redis://[user:pass@]host:port[/db]`: a standalone Redis, or any master of a Redis Cluster
   * (detected by `INFO cluster`; then every master is written directly). Required.
   */
  readonly url: string;
  /** Names the run's key namespace `idgate:<runId>:`. Default: a random ID. */
  readonly runId?: string;
  /** TTL of every key, so a crashed run's keys expire. Default: 86 400 s. */
  readonly ttlSeconds?: number;
  /**
   * IDs the run expects; sizes the fingerprint buckets so each holds about 32–64 entries and
   * stays a small listpack (Redis's default `hash-max-listpack-entries` is 128). Default: 16M.
   * Every shard of a run must pass the same value (it fixes the bucket count).
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
  /** Write the exact command stream the ledger sends (RESP, SCRIPT LOAD first) to this file, for benchmarks (standalone only). */
  readonly recordRespTo?: string;
  /**
   * For tests of exactness: keep only this many bits of each 64-bit fingerprint (1–64), so that
   * distinct IDs collide and must be told apart by their bytes. Default: 64.
   */
  readonly fingerprintBits?: number;
  /**
   * Write as one shard of a sharded run (`idgate gate --shard i/N`): the run's keys are shared
   * with the other shards, repeats of another shard's IDs are kept for `idgate verify`, and
   * `close()` keeps the keys (the verify step reads and deletes them). Default: not sharded.
   */
  readonly shard?: RedisShard;
}

/** Options of {@link RedisLedger.attach}. */
export interface RedisAttachOptions extends LedgerOptions {
  /** As {@link RedisLedgerOptions.url}. Required. */
  readonly url: string;
  /** The sharded run to read. Required. */
  readonly runId: string;
  /** Per domain, the IDs all shards handed to their Redis ledgers (from the shard markers; or later, {@link RedisLedger.expect}). Default: none. */
  readonly appended?: ReadonlyMap<DomainName, number>;
  /** Delete the run's keys at `close()`. Default: false (only a conclusive verify step deletes them). */
  readonly deleteOnClose?: boolean;
  /** Bound on connecting. Default: 5 000 ms. */
  readonly connectTimeoutMs?: number;
  /** Bound on any one command or script call. Default: 60 000 ms. */
  readonly commandTimeoutMs?: number;
  /** TTL given to keys the verify step writes. Default: 86 400 s. */
  readonly ttlSeconds?: number;
}

/**
 * Answers, for cross-shard repeats, which shards' rows hold each ID byte for byte (the
 * ClickHouse ledger of the same run: {@link ClickHouseLedger.shardsHolding}).
 */
export type ShardsHolding = (ids: readonly string[]) => Promise<ReadonlyMap<string, ReadonlySet<number>>>;

const FIELDS = ['s', 'd', 'u', 'x', 'm'] as const;
const QUOTED = 10;
/** Most events per script call: one call blocks Redis while it runs. */
const EVENTS_PER_CALL = 2000;
/** In a sharded run a bucket value's 40-bit ordinal is shard × 2^32 + the shard's own ordinal. */
const SHARD_SPAN = 2 ** 32;
/** Head of a cross-shard entry: first shard u8, first ordinal u32, first domain u16, first owner u32, owner u32, domain u16. */
const XS_HEAD = 17;

/** Keeps the domain name → index registry shared by every shard of a run. KEYS: the registry. */
const DOMAIN_SCRIPT = `
local v = redis.call('HGET', KEYS[1], ARGV[1])
if v then return tonumber(v) end
local n = redis.call('HLEN', KEYS[1])
redis.call('HSET', KEYS[1], ARGV[1], n)
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[2]))
return n
`;

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
  readonly kind: 'e' | 'c' | 'q';
  readonly id: Uint8Array;
  readonly owner: number;
  readonly domain: string;
  readonly firstOwner: number;
  readonly firstDomain: string;
}

interface DomainState {
  index: number;
  appended: number;
  acknowledged: number;
}

/**
 * The Redis ledger, a fingerprint index. Per ID Redis keeps an 8-byte fingerprint and an 11-byte
 * value (ordinal, domain, owner) in hash buckets small enough to stay listpack-encoded, about
 * 26 bytes per ID in all; full IDs only for repeats. Bulk writes are one `HSETNX` per ID,
 * pipelined over raw sockets (no Lua per ID, which cost 3.1 µs of Redis CPU per ID against
 * HSETNX's 1.9 µs). HSETNX never overwrites, so a 0 reply names a fingerprint seen before and
 * its value names the first occurrence: Node compares the bytes with that occurrence's, read
 * from the ledger's own on-disk arena, and the record script then keeps the exact state of the
 * repeat (or of a collision of two distinct IDs) in Redis, by the ID's bytes. Counters, repeat
 * states and examples live in Redis; `verify` reads only those, never the IDs. Keys live under
 * `idgate:<runId>:`, each with a TTL. Lost/unexpected writes are found by reconciling per-domain
 * counts: what Node appended against what Redis acknowledged.
 *
 * Redis Cluster (since issue 13): every bucket key carries its bucket number as hash tag and
 * every other key of the run the run's own tag ({@link runBase}), so each command and script
 * touches one slot; the ledger reads `CLUSTER SLOTS` once and sends each bucket's HSETNX to its
 * master (one socket per master), the bookkeeping to the run tag's master.
 *
 * Sharded runs ({@link RedisLedgerOptions.shard}): a bucket value's ordinal carries the shard
 * (shard × 2^32 + ordinal; up to 255 shards of 4.29·10^9 IDs, so the value stays 11 bytes) and
 * domain indices come from a registry all shards share. A repeat whose first occurrence another
 * shard wrote cannot be confirmed against this process's arena: its bytes, owner and domain,
 * with the first occurrence's shard, ordinal, owner and domain, go to the run's list `xs`, and
 * `idgate verify` confirms them by bytes ({@link RedisLedger.resolveCrossShard}) before it reads
 * the counters. The bytes of the first occurrence come from the run's ClickHouse rows, which
 * hold every shard's IDs, rather than from the first shard publishing them: a shard may finish
 * before another shard repeats one of its IDs, and nothing could then publish the bytes; the
 * rows outlive every shard. A sharded run without ClickHouse is still exact: `verify` refuses
 * (exit 3) rather than count an unconfirmed cross-shard repeat, which never happens in a run
 * without duplicates (64-bit fingerprints collide about once in 37 runs of 10^9 IDs).
 */
export class RedisLedger implements Ledger {
  readonly kind = 'redis' as const;
  /** The run's key prefix, `idgate:<runId>:`. */
  readonly prefix: string;
  private readonly base: string;
  private readonly book = new AppendBook<DomainState>('RedisLedger', () => ({ index: -1, appended: 0, acknowledged: 0 }));
  /** Domain index → name (indices come from the run's registry in Redis). */
  private readonly domainNames = new Map<number, DomainName>();
  private readonly arena = new IdArena();
  private readonly expiring: Uint8Array;
  private readonly mask: number;
  private readonly fpMaskA: number;
  private readonly fpMaskB: number;
  /** Master index of each bucket (cluster only). */
  private readonly bucketMaster: Uint8Array | undefined;

  private constructor(
    private readonly nodes: RedisNodes,
    readonly runId: string,
    private readonly opts: { maxExamples: number; ttlSeconds: number; buckets: number; chunkIds: number; fingerprintBits: number; shard: RedisShard | undefined; keepKeys: boolean },
    private readonly recordFd: number | undefined,
  ) {
    this.prefix = `idgate:${runId}:`;
    this.base = runBase(this.prefix);
    this.expiring = new Uint8Array(opts.buckets);
    this.mask = opts.buckets - 1;
    const bits = opts.fingerprintBits;
    this.fpMaskA = bits >= 32 ? 0xffffffff : 2 ** bits - 1;
    this.fpMaskB = bits >= 64 ? 0xffffffff : bits <= 32 ? 0 : 2 ** (bits - 32) - 1;
    if (nodes.cluster) {
      this.bucketMaster = new Uint8Array(opts.buckets);
      for (let k = 0; k < opts.buckets; k++) this.bucketMaster[k] = nodes.masterOfSlot(keySlot(String(k)));
    }
  }

  /** The connection of the master serving the run's bookkeeping (its hash tag). */
  private get home(): RespConnection {
    return this.nodes.forKey(this.base);
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
    const shard = options.shard;
    if (shard !== undefined && (!Number.isInteger(shard.count) || shard.count < 1 || shard.count > 255 || !Number.isInteger(shard.index) || shard.index < 0 || shard.index >= shard.count)) {
      throw new UsageError('IDGATE_BAD_OPTION', `${api}: shard ${shard.index}/${shard.count} is not a shard index below a count of 1–255`, 'pass shard: { index: 0, count: 3 } and so on');
    }
    const opts = {
      maxExamples: options.maxExamples ?? 100,
      ttlSeconds: options.ttlSeconds ?? 86_400,
      buckets,
      chunkIds: options.chunkIds ?? 20_000,
      fingerprintBits: options.fingerprintBits ?? 64,
      shard,
      keepKeys: shard !== undefined,
    };
    for (const [name, v] of [['ttlSeconds', opts.ttlSeconds], ['chunkIds', opts.chunkIds]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new UsageError('IDGATE_BAD_OPTION', `${api}: ${name} ${v} is not a positive integer`, `pass a positive integer ${name}`);
    }
    if (!Number.isInteger(opts.maxExamples) || opts.maxExamples < 0) {
      throw new UsageError('IDGATE_BAD_OPTION', `${api}: maxExamples ${opts.maxExamples} is not a non-negative integer`, 'pass 0 or more');
    }
    if (!Number.isInteger(opts.fingerprintBits) || opts.fingerprintBits < 1 || opts.fingerprintBits > 64) {
      throw new UsageError('IDGATE_BAD_OPTION', `${api}: fingerprintBits ${opts.fingerprintBits} is not between 1 and 64`, 'leave it at 64 outside tests');
    }
    const nodes = await RedisNodes.open(options.url, { connectTimeoutMs: options.connectTimeoutMs ?? 5000, commandTimeoutMs: options.commandTimeoutMs ?? 60_000 });
    try {
      const loads = await Promise.all(nodes.connections.map((c) => c.request(encodeCommand(['SCRIPT', 'LOAD', RECORD_SCRIPT]), 1)));
      for (const [sha] of loads) if (!Buffer.isBuffer(sha) || sha.toString() !== RECORD_SCRIPT_SHA) throw new Error(`SCRIPT LOAD answered ${JSON.stringify(sha)}`);
    } catch (e) {
      nodes.close();
      throw infra('open', e);
    }
    let fd: number | undefined;
    if (options.recordRespTo !== undefined) {
      fd = openSync(options.recordRespTo, 'w');
      writeSync(fd, encodeCommand(['SCRIPT', 'LOAD', RECORD_SCRIPT]));
    }
    return new RedisLedger(nodes, runId, opts, fd);
  }

  /**
   * Opens a sharded run's keys for `idgate verify`, after its shards finished: no appends, the
   * counts come from the shard markers. `verify()` then answers for the whole run; `close()`
   * deletes the run's keys only with `deleteOnClose`.
   */
  static async attach(options: RedisAttachOptions): Promise<RedisLedger> {
    const runId = validateRunId('RedisLedger.attach', options.runId);
    const nodes = await RedisNodes.open(options.url, { connectTimeoutMs: options.connectTimeoutMs ?? 5000, commandTimeoutMs: options.commandTimeoutMs ?? 60_000 });
    try {
      await Promise.all(nodes.connections.map((c) => c.request(encodeCommand(['SCRIPT', 'LOAD', RECORD_SCRIPT]), 1)));
    } catch (e) {
      nodes.close();
      throw infra('attach', e);
    }
    const ledger = new RedisLedger(nodes, runId, { maxExamples: options.maxExamples ?? 100, ttlSeconds: options.ttlSeconds ?? 86_400, buckets: 1, chunkIds: 1, fingerprintBits: 64, shard: undefined, keepKeys: options.deleteOnClose !== true }, undefined);
    ledger.book.batches.add('\u0000attached');
    ledger.expect(options.appended ?? new Map());
    return ledger;
  }

  /** For an attached ledger: the IDs all shards handed to Redis, per domain (what `verify` reconciles against). */
  expect(appended: ReadonlyMap<DomainName, number>): void {
    if (!this.book.batches.has('\u0000attached')) throw new UsageError('IDGATE_NOT_ATTACHED', 'RedisLedger.expect: only an attached ledger takes its counts from outside', 'use RedisLedger.attach');
    this.book.domains.clear();
    for (const [d, n] of appended) this.book.domains.set(d, { index: -1, appended: n, acknowledged: n });
  }

  /** For an attached ledger: delete the run's keys at `close()` after all (a conclusive verify). */
  deleteOnClose(): void {
    this.opts.keepKeys = false;
  }

  /** IDs per domain whose writes Redis acknowledged (what Redis counted, as it told us). */
  acknowledged(domain: DomainName): number {
    return this.book.domains.get(domain)?.acknowledged ?? 0;
  }

  /** Fingerprint buckets in use (fixed when the ledger opens). */
  get buckets(): number {
    return this.opts.buckets;
  }

  /** Masters written to: 1 for a standalone Redis. */
  get masters(): number {
    return this.nodes.size;
  }

  private send(conn: RespConnection, payload: Buffer, replies: number): Promise<IntegerReplies> {
    if (this.recordFd !== undefined) writeSync(this.recordFd, payload);
    const p = conn.requestIntegers(payload, replies);
    p.catch(() => undefined); // observed by the caller, perhaps later
    return p;
  }

  /** Reads commands' replies from one connection; an error reply throws. */
  private async call(conn: RespConnection, commands: readonly Buffer[]): Promise<RespReply[]> {
    const replies = await conn.request(commands, commands.length);
    for (const r of replies) if (r instanceof RespErrorReply) throw new Error(r.message);
    return replies;
  }

  async append(batch: IdBatch): Promise<void> {
    this.book.ensureOpen('append', 'open a new ledger');
    if (this.book.batches.has('\u0000attached')) throw new UsageError('IDGATE_LEDGER_ATTACHED', 'RedisLedger.append: an attached ledger only verifies', 'append through RedisLedger.open');
    const dom = this.book.admit(batch);
    if (dom === undefined || batch.ids.length === 0) return;
    try {
      if (dom.index < 0) dom.index = await this.registerDomain(batch.domain);
      await this.record(batch, dom);
    } catch (e) {
      this.book.broken = infra('append', e);
      throw this.book.broken;
    }
  }

  /** The run-wide index of a domain (every shard of a run gets the same one). */
  private async registerDomain(domain: DomainName): Promise<number> {
    const [r] = await this.call(this.home, [encodeCommand(['EVAL', DOMAIN_SCRIPT, '1', `${this.base}dom`, domain, String(this.opts.ttlSeconds)])]);
    const index = Number(r);
    if (!Number.isInteger(index) || index > 0xffff) throw new UsageError('IDGATE_TOO_MANY_DOMAINS', 'RedisLedger.append: more than 65 536 domains', 'use fewer domains per run');
    this.domainNames.set(index, domain);
    return index;
  }

  /** The name of a domain index, asking the registry for indices another shard registered. */
  private async domainName(index: number): Promise<DomainName> {
    if (!this.domainNames.has(index)) {
      const [all] = await this.call(this.home, [encodeCommand(['HGETALL', `${this.base}dom`])]);
      const a = all as Buffer[];
      for (let i = 0; i + 1 < a.length; i += 2) this.domainNames.set(Number(a[i + 1]!.toString()), a[i]!.toString('utf8'));
    }
    const name = this.domainNames.get(index);
    if (name === undefined) throw new InfrastructureError('IDGATE_REDIS_STATE', `RedisLedger: domain index ${index} is not in the run's registry`, "the run's keys were changed or expired during the run; start the run again");
    return name;
  }

  private async record(batch: IdBatch, dom: DomainState): Promise<void> {
    const n = batch.ids.length;
    const base = this.base;
    const home = this.home;
    // One marker per batch: a batch an earlier process of this run recorded is not counted twice.
    const marker = await this.send(home, Buffer.concat([encodeCommand(['SADD', `${base}batches`, batch.batchId]), encodeCommand(['EXPIRE', `${base}batches`, String(this.opts.ttlSeconds)])]), 2);
    check(marker, 'mark the batch');
    if (marker.values[0] === 0) {
      dom.appended -= n;
      return;
    }
    const encoded = encodeBatch(batch);
    const { bytes, offsets } = encoded;
    const local = this.arena.append(dom.index, bytes, offsets, batch.owners);
    const shard = this.opts.shard;
    if (shard !== undefined && local + n > SHARD_SPAN) {
      throw new UsageError('IDGATE_SHARD_TOO_BIG', `RedisLedger.append: shard ${shard.index} holds more than 4 294 967 296 IDs`, 'split the run into more shards');
    }
    const first = shard === undefined ? local : shard.index * SHARD_SPAN + local;
    // Per batch, never scratch: appends run concurrently (the gate keeps 16 in flight) and a hit's
    // fingerprint is read again after the replies arrive, by when another batch has run. Shared
    // with the other ledgers, so copied before the test-only masking below changes them.
    let { a: fa, b: fb } = encoded.fingerprints();
    if (this.opts.fingerprintBits < 64) {
      fa = fa.slice();
      fb = fb.slice();
      for (let i = 0; i < n; i++) {
        fa[i] = (fa[i]! & this.fpMaskA) >>> 0;
        fb[i] = (fb[i]! & this.fpMaskB) >>> 0;
      }
    }
    // Per master, its IDs in batch order (a standalone Redis: the batch as it is).
    const parts = this.partition(fa, n);
    // Each chunk is written as soon as it is encoded, so Redis runs chunk i while Node encodes i+1.
    const chunks: { order: Uint32Array | undefined; start: number; end: number; reply: Promise<IntegerReplies> }[] = [];
    for (const part of parts) {
      for (let start = part.start; start < part.end; ) {
        const end = Math.min(part.end, start + this.opts.chunkIds);
        const { payload, replies } = encodeIndexChunk({ prefix: this.prefix, a: fa, b: fb, mask: this.mask, owners: batch.owners, firstOrdinal: first, domain: dom.index, start, end, order: part.order, expiring: this.expiring, ttlSeconds: this.opts.ttlSeconds });
        chunks.push({ order: part.order, start, end, reply: this.send(part.conn, payload, replies) });
        start = end;
      }
    }
    // Fingerprints Redis already held: ask for their first occurrence, in the order sent.
    const hits: number[] = [];
    let fresh = 0;
    for (const c of chunks) {
      const r = await c.reply;
      check(r, 'index the batch');
      for (let j = c.start; j < c.end; j++) {
        if (r.values[j - c.start] === 1) fresh++;
        else hits.push(c.order === undefined ? j : c.order[j]!);
      }
    }
    hits.sort((x, y) => x - y);
    const tail: Buffer[] = [encodeCommand(['HINCRBY', `${base}n`, `s:${batch.domain}`, String(n)]), encodeCommand(['HINCRBY', `${base}n`, `d:${batch.domain}`, String(fresh)]), encodeCommand(['EXPIRE', `${base}n`, String(this.opts.ttlSeconds)])];
    if (hits.length > 0) {
      const { events, foreign } = await this.confirm(batch, dom.index, bytes, offsets, fa, fb, hits);
      for (let s = 0; s < events.length; s += EVENTS_PER_CALL) tail.push(this.encodeEvents(events.slice(s, s + EVENTS_PER_CALL), 0));
      if (foreign.length > 0) tail.push(encodeMixed(['RPUSH', `${base}xs`, ...foreign]), encodeCommand(['EXPIRE', `${base}xs`, String(this.opts.ttlSeconds)]));
    }
    const done = await this.send(home, Buffer.concat(tail), tail.length);
    check(done, 'count the batch');
    dom.acknowledged += n;
  }

  /** Splits a batch by the master of each ID's bucket: per master, the range of `order` holding its IDs. */
  private partition(fa: Uint32Array, n: number): { conn: RespConnection; order: Uint32Array | undefined; start: number; end: number }[] {
    const bm = this.bucketMaster;
    if (bm === undefined) return [{ conn: this.nodes.connections[0]!, order: undefined, start: 0, end: n }];
    const masters = this.nodes.size;
    const counts = new Uint32Array(masters + 1);
    for (let i = 0; i < n; i++) counts[bm[fa[i]! & this.mask]! + 1]!++;
    for (let m = 0; m < masters; m++) counts[m + 1]! += counts[m]!;
    const starts = counts.slice(0, masters);
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[starts[bm[fa[i]! & this.mask]!]!++] = i;
    const out = [];
    for (let m = 0; m < masters; m++) if (counts[m + 1]! > counts[m]!) out.push({ conn: this.nodes.connections[m]!, order, start: counts[m]!, end: counts[m + 1]! });
    return out;
  }

  /**
   * For each hit, reads the value of its fingerprint (the first occurrence: ordinal, domain,
   * owner) and compares the ID's bytes with that occurrence's bytes from the arena. A first
   * occurrence another shard wrote becomes a cross-shard entry for `idgate verify` instead.
   */
  private async confirm(batch: IdBatch, domain: number, bytes: Buffer, offsets: Uint32Array, fa: Uint32Array, fb: Uint32Array, hits: readonly number[]): Promise<{ events: RepeatEvent[]; foreign: Buffer[] }> {
    const fp = Buffer.allocUnsafe(8);
    const byConn = new Map<RespConnection, { k: number[]; cmds: Buffer[] }>();
    hits.forEach((i, k) => {
      fp.writeUInt32LE(fa[i]!, 0);
      fp.writeUInt32LE(fb[i]!, 4);
      const key = bucketKey(this.prefix, fa[i]! & this.mask);
      const conn = this.bucketMaster === undefined ? this.nodes.connections[0]! : this.nodes.connections[this.bucketMaster[fa[i]! & this.mask]!]!;
      const g = byConn.get(conn) ?? { k: [], cmds: [] };
      g.k.push(k);
      g.cmds.push(encodeMixed(['HGET', key, fp]));
      byConn.set(conn, g);
    });
    const values = new Array<RespReply>(hits.length);
    await Promise.all(
      [...byConn].map(async ([conn, g]) => {
        const payload = Buffer.concat(g.cmds);
        if (this.recordFd !== undefined) writeSync(this.recordFd, payload);
        const r = await conn.request(payload, g.cmds.length);
        g.k.forEach((k, j) => (values[k] = r[j]!));
      }),
    );
    const me = this.opts.shard?.index ?? 0;
    const events: RepeatEvent[] = [];
    const foreign: Buffer[] = [];
    const domainName = await this.domainName(domain);
    for (let k = 0; k < hits.length; k++) {
      const i = hits[k]!;
      const v = values[k];
      if (!Buffer.isBuffer(v)) {
        throw new InfrastructureError('IDGATE_REDIS_STATE', `RedisLedger.append: the fingerprint of a repeated ID vanished from Redis (${JSON.stringify(v)})`, "the run's keys were changed or expired during the run; start the run again with a longer ttlSeconds");
      }
      const firstAt = decodeIndexValue(v);
      const id = bytes.subarray(offsets[i], offsets[i + 1]);
      const firstShard = this.opts.shard === undefined ? 0 : Math.floor(firstAt.ordinal / SHARD_SPAN);
      if (firstShard !== me) {
        const e = Buffer.allocUnsafe(XS_HEAD + id.length);
        e.writeUInt8(firstShard, 0);
        e.writeUInt32LE(firstAt.ordinal % SHARD_SPAN, 1);
        e.writeUInt16LE(firstAt.domain, 5);
        e.writeUInt32LE(firstAt.owner, 7);
        e.writeUInt32LE(batch.owners[i]!, 11);
        e.writeUInt16LE(domain, 15);
        id.copy(e, XS_HEAD);
        foreign.push(e);
        continue;
      }
      const prior = this.arena.read(firstAt.ordinal % SHARD_SPAN);
      events.push({ kind: prior.bytes.equals(id) ? 'e' : 'c', id, owner: batch.owners[i]!, domain: domainName, firstOwner: firstAt.owner, firstDomain: await this.domainName(firstAt.domain) });
    }
    return { events, foreign };
  }

  private encodeEvents(events: readonly RepeatEvent[], trim: number): Buffer {
    const strs: (string | Uint8Array)[] = ['EVALSHA', RECORD_SCRIPT_SHA, '2', `${this.base}n`, `${this.base}xs`, String(this.opts.ttlSeconds), String(Math.max(this.opts.maxExamples, QUOTED)), this.base, String(trim)];
    for (const e of events) strs.push(e.kind, e.id, String(e.owner), e.domain, String(e.firstOwner), e.firstDomain);
    return encodeMixed(strs);
  }

  /**
   * Starts this ledger's shard of a sharded run: the run's `settings` (shard count, seed, sizes —
   * whatever every shard must share) are claimed by the first shard and checked for every later
   * one, and the shard's marker says `running`. A differing setting or a shard index that already
   * started is a usage error.
   */
  async claimShard(settings: Readonly<Record<string, string>>): Promise<void> {
    const shard = this.opts.shard;
    if (shard === undefined) throw new UsageError('IDGATE_NOT_SHARDED', 'RedisLedger.claimShard: the ledger was opened without shard', 'open it with shard: { index, count }');
    await claimShard(this.home, this.base, shard.index, { ...settings, shards: String(shard.count), buckets: String(this.opts.buckets) }, this.opts.ttlSeconds);
  }

  /**
   * Marks this ledger's shard complete, once every append was acknowledged: what each store ledger
   * of the shard was handed per domain (this ledger's own under `redis`) and `facts` (timings).
   */
  async completeShard(appendedByLedger: Readonly<Record<string, Readonly<Record<string, number>>>>, facts: Readonly<Record<string, string>>): Promise<void> {
    const shard = this.opts.shard;
    if (shard === undefined) throw new UsageError('IDGATE_NOT_SHARDED', 'RedisLedger.completeShard: the ledger was opened without shard', 'open it with shard: { index, count }');
    if (this.book.broken) throw this.book.broken;
    const mine: Record<string, number> = {};
    for (const [d, s] of this.book.domains) mine[d] = s.appended;
    await completeShard(this.home, this.base, shard.index, { ...appendedByLedger, redis: mine }, facts, this.opts.ttlSeconds);
  }

  /** The run's settings as its first shard claimed them (empty when none did). */
  async runSettings(): Promise<Record<string, string>> {
    return readRunSettings(this.home, this.base);
  }

  /** The markers of shards `0..count-1` (`undefined` for a shard that never started). */
  async shardMarkers(count: number): Promise<(ShardMarker | undefined)[]> {
    return readShardMarkers(this.home, this.base, count);
  }

  /** Cross-shard repeats waiting for `idgate verify` to confirm them by bytes. */
  async crossShardPending(): Promise<number> {
    const [n] = await this.call(this.home, [encodeCommand(['LLEN', `${this.base}xs`])]);
    return Number(n);
  }

  /**
   * Confirms the run's cross-shard repeats by bytes and records them like any repeat (for
   * `idgate verify`, once every shard is complete): `holding` says which shards' rows hold each
   * repeated ID byte for byte. A repeat is the first occurrence of its fingerprint when the first
   * occurrence's shard holds the same bytes, unless the collided-ID hash holds them (then the
   * first occurrence is another ID, see the record script's kind `q`); otherwise it is a
   * fingerprint collision of two distinct IDs, never a duplicate. Each page of entries is recorded
   * and dropped from the list in one atomic script call. Returns how many were recorded.
   */
  async resolveCrossShard(holding: ShardsHolding): Promise<number> {
    let total = 0;
    for (;;) {
      const [page] = await this.call(this.home, [encodeCommand(['LRANGE', `${this.base}xs`, '0', String(EVENTS_PER_CALL - 1)])]);
      const entries = page as Buffer[];
      if (entries.length === 0) return total;
      const ids = entries.map((e) => e.subarray(XS_HEAD).toString('utf8'));
      const holders = await holding([...new Set(ids)]);
      const events: RepeatEvent[] = [];
      for (let k = 0; k < entries.length; k++) {
        const e = entries[k]!;
        const inFirstShard = holders.get(ids[k]!)?.has(e.readUInt8(0)) === true;
        events.push({ kind: inFirstShard ? 'q' : 'c', id: e.subarray(XS_HEAD), owner: e.readUInt32LE(11), domain: await this.domainName(e.readUInt16LE(15)), firstOwner: e.readUInt32LE(7), firstDomain: await this.domainName(e.readUInt16LE(5)) });
      }
      const [r] = await this.call(this.home, [this.encodeEvents(events, entries.length)]);
      if (Number(r) !== entries.length) throw new InfrastructureError('IDGATE_REDIS_SCRIPT', `RedisLedger.resolveCrossShard: the record script answered ${JSON.stringify(r)} for ${entries.length} entries`, 'check the Redis server log');
      total += entries.length;
    }
  }

  /** Nothing to wait for: an append resolves once Redis acknowledged it. Throws once broken or closed. */
  async flush(): Promise<void> {
    this.book.ensureOpen('flush', 'flush before close');
  }

  async verify(): Promise<LedgerVerdict> {
    return this.book.verify(() => this.verifyInRedis(), infra);
  }

  private async verifyInRedis(): Promise<LedgerVerdict> {
    const names = [...this.book.domains.keys()].sort(compareIds);
    const base = this.base;
    const home = this.home;
    const cap = Math.max(this.opts.maxExamples, QUOTED);
    const sums = new Map(names.map((d) => [d, { s: 0, d: 0, u: 0, x: 0, m: 0 }]));
    if (names.length > 0) {
      const [row] = await this.call(home, [encodeCommand(['HMGET', `${base}n`, ...names.flatMap((d) => FIELDS.map((f) => `${f}:${d}`))])]);
      names.forEach((d, di) => {
        const s = sums.get(d)!;
        FIELDS.forEach((f, fi) => (s[f] = Number((row as (Buffer | null)[])[di * FIELDS.length + fi]?.toString() ?? 0)));
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
      const res = await this.call(home, reads.map((r) => encodeCommand(['ZRANGE', r.key, '0', String(r.stop)])));
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
        appended: this.book.domains.get(domain)!.appended,
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
    const cmds: Buffer[] = [];
    for (const id of ids) {
      const bytes = Buffer.from(id, 'utf8');
      cmds.push(encodeMixed(['HGET', `${this.base}h`, bytes]), encodeMixed(['ZRANGE', Buffer.concat([Buffer.from(`${this.base}o:`), bytes]), '0', '-1']));
    }
    const res = await this.call(this.home, cmds);
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
   * differs is looked up by its bytes among the collided IDs (HEXISTS). One boolean per ID. In a
   * sharded run it answers for fingerprints this shard wrote first; another shard's is a usage error.
   */
  async holds(ids: readonly string[]): Promise<boolean[]> {
    if (ids.length === 0) return [];
    const { bytes, offsets } = encodeIds(ids);
    const a = new Uint32Array(ids.length);
    const b = new Uint32Array(ids.length);
    fingerprintAll(bytes, offsets, a, b);
    const me = this.opts.shard?.index ?? 0;
    try {
      const fp = Buffer.alloc(8);
      const values = await Promise.all(
        ids.map((_, i) => {
          fp.writeUInt32LE((a[i]! & this.fpMaskA) >>> 0, 0);
          fp.writeUInt32LE((b[i]! & this.fpMaskB) >>> 0, 4);
          const key = bucketKey(this.prefix, (a[i]! & this.fpMaskA & this.mask) >>> 0);
          return this.call(this.nodes.forKey(key), [encodeMixed(['HGET', key, Buffer.from(fp)])]);
        }),
      );
      const collided = await this.call(this.home, ids.map((_, i) => encodeMixed(['HEXISTS', `${this.base}c`, bytes.subarray(offsets[i], offsets[i + 1])])));
      return ids.map((_, i) => {
        const v = values[i]![0] as Buffer | null;
        if (v === null) return false;
        const ordinal = decodeIndexValue(v).ordinal;
        if (this.opts.shard !== undefined && Math.floor(ordinal / SHARD_SPAN) !== me) throw new UsageError('IDGATE_FOREIGN_SHARD', "RedisLedger.holds: the ID's first occurrence is another shard's", 'ask the shard that wrote it, or verify the run with idgate verify');
        if (this.arena.read(ordinal % SHARD_SPAN).bytes.equals(bytes.subarray(offsets[i], offsets[i + 1]))) return true;
        return collided[i] === 1;
      });
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw infra('holds', e);
    }
  }

  /**
   * Deletes every key under the run's prefix on every master (SCAN + UNLINK), then disconnects.
   * A shard of a sharded run keeps its keys (the verify step deletes them). Idempotent.
   */
  async close(): Promise<void> {
    if (this.book.closed) return;
    this.book.closed = true;
    this.arena.close();
    if (this.recordFd !== undefined) closeSync(this.recordFd);
    try {
      if (!this.opts.keepKeys) await Promise.all(this.nodes.connections.map((c) => this.unlinkRun(c)));
    } catch (e) {
      throw infra('close', e);
    } finally {
      this.nodes.close();
    }
  }

  /** SCAN + UNLINK of the run's keys on one node; one UNLINK per key, as cluster keys differ in slot. */
  private async unlinkRun(conn: RespConnection): Promise<void> {
    let cursor = '0';
    do {
      const [r] = await this.call(conn, [encodeCommand(['SCAN', cursor, 'MATCH', `${this.prefix}*`, 'COUNT', '10000'])]);
      const [next, keys] = r as [Buffer, Buffer[]];
      cursor = next.toString();
      if (keys.length > 0) await this.call(conn, keys.map((k) => encodeMixed(['UNLINK', k])));
    } while (cursor !== '0');
  }
}

/** Throws when a pipelined request got a reply that is not an integer. */
function check(r: IntegerReplies, what: string): void {
  if (r.firstOther !== undefined) throw new InfrastructureError('IDGATE_REDIS_SCRIPT', `RedisLedger.append: Redis did not ${what} (${r.firstOther})`, 'check the Redis server log; a restarted Redis lost its data and the run must start again');
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
