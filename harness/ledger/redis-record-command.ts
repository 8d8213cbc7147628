import { RespEncoder, respBulkSize } from './resp-encoder.js';
import { RECORD_SCRIPT_SHA } from './redis-ledger-script.js';

/** Everything one EVALSHA of the record script needs: a chunk of one batch, grouped by bucket. */
export interface RecordChunk {
  /** Key prefix of the run, `idgate:<run>:`. */
  readonly prefix: string;
  readonly ttlSeconds: number;
  readonly domain: string;
  /** Cap of each example sorted set. */
  readonly cap: number;
  /** Idempotence marker of this chunk. */
  readonly marker: string;
  /** The batch's UTF-8 bytes and offsets (encodeIds). */
  readonly bytes: Uint8Array;
  readonly offsets: Uint32Array;
  readonly owners: Uint32Array;
  /** Bucket of each ID of the batch. */
  readonly buckets: Uint32Array;
  /** The chunk is IDs `start..end` of the batch. */
  readonly start: number;
  readonly end: number;
}

/** The run's key of chunk markers. */
export function markerKey(prefix: string): string {
  return `${prefix}{m}:batches`;
}

/** The common start of every key of bucket `k`. */
export function bucketBase(prefix: string, k: number): string {
  return `${prefix}{${k}}:`;
}

/**
 * Encodes one chunk as a single `EVALSHA` of the record script, IDs grouped by bucket, built
 * straight into one Buffer (no per-argument strings for the ID bytes).
 */
export function encodeRecordChunk(c: RecordChunk): Buffer {
  // Counting sort of the chunk's IDs by bucket.
  const count = new Map<number, number>();
  for (let i = c.start; i < c.end; i++) {
    const k = c.buckets[i]!;
    count.set(k, (count.get(k) ?? 0) + 1);
  }
  const keys = [...count.keys()].sort((a, b) => a - b);
  const first = new Map<number, number>();
  let at = 0;
  for (const k of keys) {
    first.set(k, at);
    at += count.get(k)!;
  }
  const order = new Uint32Array(c.end - c.start);
  for (let i = c.start; i < c.end; i++) {
    const k = c.buckets[i]!;
    const p = first.get(k)!;
    order[p] = i;
    first.set(k, p + 1);
  }

  const head = ['EVALSHA', RECORD_SCRIPT_SHA, String(1 + 2 * keys.length), markerKey(c.prefix)];
  const keyNames: string[] = [];
  for (const k of keys) {
    const base = bucketBase(c.prefix, k);
    keyNames.push(`${base}h`, `${base}n`);
  }
  const argv = [String(c.ttlSeconds), c.domain, String(c.cap), c.marker, String(keys.length)];
  const argc = head.length + keyNames.length + argv.length + keys.length + 2 * (c.end - c.start);
  let size = String(argc).length + 3;
  for (const s of [...head, ...keyNames, ...argv]) size += respBulkSize(Buffer.byteLength(s, 'utf8'));
  for (const k of keys) size += respBulkSize(String(count.get(k)!).length);
  for (let i = c.start; i < c.end; i++) {
    size += respBulkSize(c.offsets[i + 1]! - c.offsets[i]!) + respBulkSize(String(c.owners[i]!).length);
  }
  const e = new RespEncoder(size);
  e.arrayHeader(argc);
  for (const s of head) e.str(s);
  for (const s of keyNames) e.str(s);
  for (const s of argv) e.str(s);
  let p = 0;
  for (const k of keys) {
    const n = count.get(k)!;
    e.uint(n);
    for (let j = 0; j < n; j++, p++) {
      const i = order[p]!;
      e.bytes(c.bytes, c.offsets[i]!, c.offsets[i + 1]!);
      e.uint(c.owners[i]!);
    }
  }
  return e.finish();
}
