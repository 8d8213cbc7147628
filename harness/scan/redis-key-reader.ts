import { RespErrorReply, type RespReply } from '../ledger/index.js';
import type { ReadOnlyRedis } from './read-only-redis.js';

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

const TYPE = Buffer.from('TYPE');
const GET = Buffer.from('GET');

/** Elements asked for per page of HSCAN/SSCAN/ZSCAN/LRANGE. */
const PAGE = 1000;

interface Reading {
  readonly raw: Buffer;
  readonly read: KeyRead & { strings: string[]; truncated: boolean };
  cursor: string;
  done: boolean;
}

const str = (r: RespReply | undefined): string => (Buffer.isBuffer(r) ? r.toString('utf8') : typeof r === 'string' || typeof r === 'number' ? String(r) : '');

const READ_TYPES: ReadonlySet<string> = new Set(['string', 'hash', 'set', 'zset', 'list']);

/**
 * Reads a batch of keys with read commands only, pipelined: TYPE and GET for all in one round
 * trip (most keys are strings; GET on another type is a harmless WRONGTYPE error), then HSCAN,
 * SSCAN, ZSCAN or LRANGE page by page (never HGETALL/SMEMBERS on an unbounded collection, which
 * would block the server), at most `maxElements` elements per key. A key deleted since SCAN
 * returned it reads as type `none`.
 */
export async function readKeys(redis: ReadOnlyRedis, keys: readonly Buffer[], maxElements: number): Promise<KeyRead[]> {
  const commands: Buffer[][] = [];
  for (const k of keys) commands.push([TYPE, k], [GET, k]);
  const first = await redis.send(commands);
  const readings: Reading[] = keys.map((raw, i) => {
    const t = first[2 * i];
    const type = t instanceof RespErrorReply ? 'error' : str(t);
    const read = { key: raw.toString('utf8'), type, strings: [] as string[], truncated: false, ...(type === 'hash' ? { hash: new Map<string, string>() } : {}) };
    const reading = { raw, read, cursor: '0', done: !READ_TYPES.has(type) };
    if (type === 'string') take(reading, first[2 * i + 1], maxElements);
    return reading;
  });
  for (;;) {
    const open = readings.filter((r) => !r.done);
    if (open.length === 0) break;
    const replies = await redis.send(open.map(nextCommand));
    for (let i = 0; i < open.length; i++) take(open[i]!, replies[i], maxElements);
  }
  return readings.map((r) => r.read);
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
