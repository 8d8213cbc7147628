import { encodeCommand } from './resp-encoder.js';

/**
 * Key names of a Redis ledger run and the fast-path command stream: one `HSETNX` per ID into the
 * ID's fingerprint bucket, built straight into one Buffer.
 */

/** `idgate:<run>:{r}:` — the run's keys other than buckets (counters, repeats, examples, markers). */
export function runBase(prefix: string): string {
  return `${prefix}{r}:`;
}

/** The fingerprint bucket `k`'s hash: 8-byte fingerprint → {@link INDEX_VALUE_BYTES}-byte value. */
export function bucketKey(prefix: string, k: number): string {
  return `${prefix}{${k}}:f`;
}

/** Bytes of a bucket entry's value: ordinal (u40 LE), domain index (u16 LE), owner (u32 LE). */
export const INDEX_VALUE_BYTES = 11;

/** Decodes a bucket entry's value. */
export function decodeIndexValue(v: Buffer): { ordinal: number; domain: number; owner: number } {
  return { ordinal: v.readUIntLE(0, 5), domain: v.readUInt16LE(5), owner: v.readUInt32LE(7) };
}

/** One chunk of a batch for {@link encodeIndexChunk}. */
export interface IndexChunk {
  readonly prefix: string;
  /** Fingerprint lanes of the batch's IDs; the bucket is `a & mask`. */
  readonly a: Uint32Array;
  readonly b: Uint32Array;
  readonly mask: number;
  readonly owners: Uint32Array;
  /** Ordinal of the batch's first ID (its place in the ledger's arena). */
  readonly firstOrdinal: number;
  readonly domain: number;
  /** The chunk is IDs `start..end` of the batch. */
  readonly start: number;
  readonly end: number;
  /** One flag per bucket: set once the bucket was given its TTL. Updated here. */
  readonly expiring: Uint8Array;
  readonly ttlSeconds: number;
}

const HSETNX = Buffer.from('*4\r\n$6\r\nHSETNX\r\n', 'latin1');
const FIELD_HEAD = Buffer.from('\r\n$8\r\n', 'latin1');
const VALUE_HEAD = Buffer.from(`\r\n$${INDEX_VALUE_BYTES}\r\n`, 'latin1');

/**
 * Encodes `HSETNX <bucket> <fingerprint> <value>` for every ID of the chunk, then one `EXPIRE` for
 * each bucket the run touches for the first time (after its HSETNX, so the key exists). Redis
 * answers 1 per new fingerprint and 0 per fingerprint it already holds — never overwriting the
 * first occurrence — then 1 per EXPIRE. Returns the bytes and how many replies to expect.
 */
export function encodeIndexChunk(c: IndexChunk): { payload: Buffer; replies: number } {
  const n = c.end - c.start;
  const keyHead = Buffer.from(`${c.prefix}{`, 'utf8');
  const keyTail = Buffer.from('}:f', 'latin1');
  // Upper bound per ID: header, key (prefix + 7 digits), field and value with their headers.
  const perId = HSETNX.length + 8 + keyHead.length + 7 + keyTail.length + FIELD_HEAD.length + 8 + VALUE_HEAD.length + INDEX_VALUE_BYTES + 2;
  const fresh: number[] = [];
  const buf = Buffer.allocUnsafe(n * perId);
  let at = 0;
  const { a, b, owners } = c;
  const ordLow = c.firstOrdinal;
  for (let i = c.start; i < c.end; i++) {
    const k = a[i]! & c.mask;
    if (c.expiring[k] === 0) {
      c.expiring[k] = 1;
      fresh.push(k);
    }
    const digits = k < 10 ? 1 : k < 100 ? 2 : k < 1000 ? 3 : k < 10_000 ? 4 : k < 100_000 ? 5 : k < 1_000_000 ? 6 : 7;
    at += HSETNX.copy(buf, at);
    buf[at++] = 0x24; // $
    at += buf.write(String(keyHead.length + digits + keyTail.length), at, 'latin1');
    buf[at++] = 13;
    buf[at++] = 10;
    at += keyHead.copy(buf, at);
    at += buf.write(String(k), at, 'latin1');
    at += keyTail.copy(buf, at);
    at += FIELD_HEAD.copy(buf, at);
    buf.writeUInt32LE(a[i]!, at);
    buf.writeUInt32LE(b[i]!, at + 4);
    at += 8;
    at += VALUE_HEAD.copy(buf, at);
    const ord = ordLow + i;
    buf.writeUIntLE(ord, at, 5);
    buf.writeUInt16LE(c.domain, at + 5);
    buf.writeUInt32LE(owners[i]!, at + 7);
    at += INDEX_VALUE_BYTES;
    buf[at++] = 13;
    buf[at++] = 10;
  }
  const expires = fresh.map((k) => encodeCommand(['EXPIRE', bucketKey(c.prefix, k), String(c.ttlSeconds)]));
  return { payload: Buffer.concat([buf.subarray(0, at), ...expires]), replies: n + fresh.length };
}
