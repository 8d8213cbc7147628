/**
 * Builds RESP (Redis serialization protocol) commands into one Buffer: the caller sizes it with
 * {@link respSize} helpers, then writes parts in order. Used for the Redis ledger's bulk writes,
 * where building the bytes ourselves is what makes a raw socket faster than a general client.
 */
export class RespEncoder {
  private readonly buf: Buffer;
  private at = 0;

  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size);
  }

  /** `*<n>\r\n`: the start of a command of `n` arguments. */
  arrayHeader(n: number): void {
    this.ascii(`*${n}\r\n`);
  }

  /** One bulk string argument from a string (UTF-8). */
  str(value: string): void {
    const len = Buffer.byteLength(value, 'utf8');
    this.ascii(`$${len}\r\n`);
    this.at += this.buf.write(value, this.at, 'utf8');
    this.crlf();
  }

  /** One bulk string argument from `bytes[start..end]`. */
  bytes(bytes: Uint8Array, start: number, end: number): void {
    this.ascii(`$${end - start}\r\n`);
    this.buf.set(bytes.subarray(start, end), this.at);
    this.at += end - start;
    this.crlf();
  }

  /** One bulk string argument holding a non-negative integer in decimal. */
  uint(value: number): void {
    const s = String(value);
    this.ascii(`$${s.length}\r\n${s}\r\n`);
  }

  /** The bytes written so far. */
  finish(): Buffer {
    return this.buf.subarray(0, this.at);
  }

  private ascii(s: string): void {
    this.at += this.buf.write(s, this.at, 'latin1');
  }

  private crlf(): void {
    this.buf[this.at++] = 13;
    this.buf[this.at++] = 10;
  }
}

/** Bytes a bulk string of `len` bytes takes in RESP, header and CRLFs included. */
export function respBulkSize(len: number): number {
  return String(len).length + len + 5;
}

/** A whole command of string arguments, encoded. */
export function encodeCommand(args: readonly string[]): Buffer {
  let size = String(args.length).length + 3;
  for (const a of args) size += respBulkSize(Buffer.byteLength(a, 'utf8'));
  const e = new RespEncoder(size);
  e.arrayHeader(args.length);
  for (const a of args) e.str(a);
  return e.finish();
}
