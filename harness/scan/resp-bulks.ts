/**
 * A RESP array of bulk strings read in place: offsets into the reply's bytes, no Buffer or
 * string per element. SCAN answers its keys this way and MGET its values; the keys' encoding
 * (`$<len>\r\n<bytes>\r\n` each) is exactly how they go back out as command arguments, so a page
 * of keys is resent to Redis as one copy of those bytes.
 */
export interface Bulks {
  readonly buf: Buffer;
  readonly count: number;
  /** Where element i's `$` is. */
  readonly heads: Int32Array;
  /** Where element i's bytes start. */
  readonly starts: Int32Array;
  /** Element i's length in bytes; -1 for nil. */
  readonly lengths: Int32Array;
  /** The byte range of all the elements' encodings, after the array header. */
  readonly from: number;
  readonly to: number;
}

/** Thrown when reply bytes are not the shape the scan asked for. */
export class RespShapeError extends Error {}

/** The decimal integer at `at`, up to its CRLF: [value, position after the CRLF]. */
function intAt(buf: Buffer, at: number): [number, number] {
  let p = at;
  const neg = buf[p] === 0x2d;
  if (neg) p++;
  let v = 0;
  for (; p < buf.length && buf[p] !== 0x0d; p++) {
    const c = buf[p]!;
    if (c < 0x30 || c > 0x39) throw new RespShapeError(`expected a number at byte ${p}, found byte ${c}`);
    v = v * 10 + (c - 0x30);
  }
  if (buf[p + 1] !== 0x0a) throw new RespShapeError(`a number at byte ${at} does not end in CRLF`);
  return [neg ? -v : v, p + 2];
}

/** The array of bulk strings (or nils) starting at `at`; throws {@link RespShapeError} on anything else. */
export function readBulks(buf: Buffer, at: number): Bulks {
  if (buf[at] !== 0x2a) throw new RespShapeError(`expected an array, found ${describe(buf, at)}`);
  const [count, first] = intAt(buf, at + 1);
  const heads = new Int32Array(Math.max(0, count));
  const starts = new Int32Array(Math.max(0, count));
  const lengths = new Int32Array(Math.max(0, count));
  let p = first;
  for (let i = 0; i < count; i++) {
    if (buf[p] !== 0x24) throw new RespShapeError(`expected a bulk string as element ${i}, found ${describe(buf, p)}`);
    heads[i] = p;
    const [n, data] = intAt(buf, p + 1);
    starts[i] = data;
    lengths[i] = n < 0 ? -1 : n;
    p = n < 0 ? data : data + n + 2;
    if (p > buf.length) throw new RespShapeError(`element ${i} runs past the reply`);
  }
  return { buf, count: Math.max(0, count), heads, starts, lengths, from: first, to: p };
}

/** SCAN's reply, `[cursor, [key …]]`, read in place. */
export function readScanReply(buf: Buffer): { cursor: string; keys: Bulks } {
  if (buf[0] !== 0x2a) throw new RespShapeError(`expected SCAN's [cursor, keys] array, found ${describe(buf, 0)}`);
  const [n, at] = intAt(buf, 1);
  if (n !== 2 || buf[at] !== 0x24) throw new RespShapeError(`expected SCAN's [cursor, keys] array, found ${n} elements`);
  const [len, data] = intAt(buf, at + 1);
  const cursor = buf.toString('latin1', data, data + len);
  return { cursor, keys: readBulks(buf, data + len + 2) };
}

/** An error reply's message (`-ERR …`), or undefined when `buf` is not an error reply. */
export function errorMessage(buf: Buffer): string | undefined {
  return buf[0] === 0x2d ? buf.toString('utf8', 1, buf.length - 2) : undefined;
}

/** Bulk i as a string (UTF-8), or undefined for nil. */
export function bulkText(b: Bulks, i: number): string | undefined {
  const n = b.lengths[i]!;
  return n < 0 ? undefined : b.buf.toString('utf8', b.starts[i], b.starts[i]! + n);
}

/** One command `name key` per chosen key, the key bytes copied as they came: one buffer. */
export function perKeyCommands(name: string, keys: Bulks, which: readonly number[]): Buffer {
  const head = Buffer.from(`*2\r\n$${name.length}\r\n${name}\r\n`, 'latin1');
  let size = 0;
  for (const i of which) size += head.length + keys.starts[i]! + keys.lengths[i]! + 2 - keys.heads[i]!;
  const out = Buffer.allocUnsafe(size);
  let p = 0;
  for (const i of which) {
    p += head.copy(out, p);
    p += keys.buf.copy(out, p, keys.heads[i], keys.starts[i]! + keys.lengths[i]! + 2);
  }
  return out;
}

/** One command `name key…` over every key, the keys' bytes copied in one piece. */
export function allKeysCommand(name: string, keys: Bulks): Buffer {
  const head = Buffer.from(`*${keys.count + 1}\r\n$${name.length}\r\n${name}\r\n`, 'latin1');
  return Buffer.concat([head, keys.buf.subarray(keys.from, keys.to)]);
}

function describe(buf: Buffer, at: number): string {
  return at >= buf.length ? 'the end of the reply' : JSON.stringify(buf.toString('latin1', at, Math.min(buf.length, at + 40)));
}
