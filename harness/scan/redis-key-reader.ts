import { RespErrorReply, type RespReply } from '../ledger/index.js';
import type { ReadOnlyRedis } from './read-only-redis.js';
import { bulkText, errorMessage, type Bulks } from './resp-bulks.js';

/** One key's contents as the scan reads them. */
export interface KeyRead {
  readonly key: string;
  /** `string`, `hash`, `set`, `zset`, `list`, or another type the scan does not read (`stream`, …). */
  readonly type: string;
  /** The value of a string key. */
  readonly text?: string;
  /** The fields of a hash key. */
  readonly hash?: Map<string, string>;
  /** Every string the value holds: the string, hash fields and values, members, elements. */
  readonly strings: string[];
  /** True when the key held more than `maxElements` elements and only those were read. */
  readonly truncated: boolean;
}

/** Elements asked for per page of HSCAN/SSCAN/ZSCAN/LRANGE. */
const PAGE = 1000;

interface Reading {
  readonly raw: Buffer;
  readonly read: KeyRead & { type: string; strings: string[]; truncated: boolean };
  cursor: string;
  done: boolean;
}

const str = (r: RespReply | undefined): string => (Buffer.isBuffer(r) ? r.toString('utf8') : typeof r === 'string' || typeof r === 'number' ? String(r) : '');

/** The types whose values the scan reads; keys of other types are counted as unread. */
export const READ_TYPES: ReadonlySet<string> = new Set(['string', 'hash', 'set', 'zset', 'list']);

/**
 * Reads a page of keys (as SCAN answered them) with read commands only, pipelined. Most keys are
 * strings, so values come first: one `MGET` for the whole page where the keys may share a
 * command (`oneCommand`, a standalone server), else a `GET` per key (a cluster master's keys sit
 * in many hash slots, which MGET refuses). Only keys without a string value then get a `TYPE`
 * (MGET answers nil for a missing key and for another type alike; GET answers WRONGTYPE), and
 * collections are read with HSCAN, SSCAN, ZSCAN or LRANGE page by page (never HGETALL/SMEMBERS
 * on an unbounded collection, which would block the server), at most `maxElements` elements per
 * key. A key deleted since SCAN returned it reads as type `none`. Key and value bytes are read in
 * place and decoded once, as UTF-8.
 */
export async function readKeys(redis: ReadOnlyRedis, keys: Bulks, maxElements: number, oneCommand = false): Promise<KeyRead[]> {
  const n = keys.count;
  const all = oneCommand ? [] : Array.from({ length: n }, (_, i) => i);
  const values = oneCommand ? await redis.mget(keys) : await redis.perKey('GET', keys, all);
  const reads: (KeyRead & { type: string; strings: string[]; truncated: boolean })[] = [];
  const untyped: number[] = [];
  for (let i = 0; i < n; i++) {
    const key = bulkText(keys, i)!;
    let text: string | undefined;
    let typeNeeded: boolean;
    if (Array.isArray(values)) {
      // GET: a bulk is the value, `$-1` a missing key, an error (WRONGTYPE) another type.
      const v = values[i]!;
      if (v[0] === 0x24 && v[1] !== 0x2d) text = readBulkReply(v);
      typeNeeded = v[0] === 0x2d;
    } else {
      text = bulkText(values, i);
      typeNeeded = text === undefined;
    }
    if (text !== undefined) {
      reads.push({ key, type: 'string', text, strings: [text], truncated: false });
      continue;
    }
    reads.push({ key, type: 'none', strings: [], truncated: false });
    if (typeNeeded) untyped.push(i);
  }
  if (untyped.length === 0) return reads;
  const types = await redis.perKey('TYPE', keys, untyped);
  const readings: Reading[] = [];
  for (let j = 0; j < untyped.length; j++) {
    const i = untyped[j]!;
    const t = types[j]!;
    const type = errorMessage(t) !== undefined ? 'error' : t.toString('latin1', 1, t.length - 2);
    const read = reads[i]!;
    read.type = type;
    if (type === 'hash') (read as { hash?: Map<string, string> }).hash = new Map();
    if (READ_TYPES.has(type)) readings.push({ raw: keys.buf.subarray(keys.starts[i], keys.starts[i]! + keys.lengths[i]!), read, cursor: '0', done: false });
  }
  for (;;) {
    const open = readings.filter((r) => !r.done);
    if (open.length === 0) break;
    const replies = await redis.send(open.map(nextCommand));
    for (let i = 0; i < open.length; i++) take(open[i]!, replies[i], maxElements);
  }
  return reads;
}

/** The text of a bulk-string reply `$<len>\r\n<bytes>\r\n`. */
function readBulkReply(v: Buffer): string {
  const nl = v.indexOf(0x0a);
  return v.toString('utf8', nl + 1, v.length - 2);
}

function nextCommand(r: Reading): (string | Buffer)[] {
  switch (r.read.type) {
    case 'string':
      return ['GET', r.raw];
    case 'hash':
      return ['HSCAN', r.raw, r.cursor, 'COUNT', String(PAGE)];
    case 'set':
      return ['SSCAN', r.raw, r.cursor, 'COUNT', String(PAGE)];
    case 'zset':
      return ['ZSCAN', r.raw, r.cursor, 'COUNT', String(PAGE)];
    default: {
      const start = Number(r.cursor);
      return ['LRANGE', r.raw, String(start), String(start + PAGE - 1)];
    }
  }
}

function take(r: Reading, reply: RespReply | undefined, maxElements: number): void {
  const read = r.read;
  if (reply instanceof RespErrorReply || reply === null || reply === undefined) {
    r.done = true; // deleted or changed type since TYPE: nothing to read
    return;
  }
  if (read.type === 'string') {
    const text = str(reply);
    read.strings.push(text);
    (read as { text?: string }).text = text;
    r.done = true;
    return;
  }
  let items: RespReply[];
  if (read.type === 'list') {
    items = Array.isArray(reply) ? reply : [];
    r.cursor = String(Number(r.cursor) + items.length);
    r.done = items.length < PAGE;
  } else {
    const [cursor, page] = Array.isArray(reply) ? reply : [];
    items = Array.isArray(page) ? page : [];
    r.cursor = str(cursor);
    r.done = r.cursor === '0';
  }
  for (let i = 0; i < items.length; i++) {
    // ZSCAN answers member, score pairs: scores are not IDs.
    if (read.type === 'zset' && i % 2 === 1) continue;
    const s = str(items[i]);
    read.strings.push(s);
    if (read.hash !== undefined && i % 2 === 0) read.hash.set(s, str(items[i + 1]));
  }
  const elements = read.type === 'hash' || read.type === 'zset' ? read.strings.length / (read.type === 'hash' ? 2 : 1) : read.strings.length;
  if (!r.done && elements >= maxElements) {
    read.truncated = true;
    r.done = true;
  }
}
