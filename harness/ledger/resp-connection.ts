import { connect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { InfrastructureError } from '../model/index.js';
import { encodeCommand } from './resp-encoder.js';
import { respTlsOptions, tlsRemedy } from './resp-tls.js';

/** An error reply (`-ERR …`) from Redis. */
export class RespErrorReply {
  constructor(readonly message: string) {}
}

/** One parsed RESP2 reply. Bulk strings stay Buffers: IDs are bytes, not text. */
export type RespReply = number | string | Buffer | null | RespErrorReply | RespReply[];

/** Options of {@link RespConnection.open}. */
export interface RespConnectionOptions {
  /** Bound on connecting (and authenticating). Default: 5 000 ms. */
  readonly connectTimeoutMs?: number;
  /** Bound on waiting for the replies of one request. Default: 60 000 ms. */
  readonly commandTimeoutMs?: number;
  /** PEM CA certificates for a `rediss://` URL. Default: the URL's `?ca=<path>`, else `IDGATE_REDIS_CA`, else Node's CAs (see respTlsOptions). */
  readonly ca?: string | Buffer;
}

interface Pending {
  readonly want: number;
  readonly replies: RespReply[];
  /** Integer mode ({@link RespConnection.requestIntegers}): replies land here, not in `replies`. */
  readonly ints?: IntegerReplies;
  /** Raw mode ({@link RespConnection.requestRaw}): each reply is kept as its bytes, not parsed. */
  readonly raw?: boolean;
  readonly resolve: (r: RespReply[]) => void;
  readonly reject: (e: Error) => void;
  readonly timer: NodeJS.Timeout;
}

const INCOMPLETE = Symbol('incomplete');

/** What {@link RespConnection.requestIntegers} answers. */
export interface IntegerReplies {
  /** Reply i as a number; NaN where the reply was not an integer. */
  readonly values: Float64Array;
  /** How many replies have arrived. */
  received: number;
  /** The first reply that was not an integer (an error reply, say), described. */
  firstOther: string | undefined;
}

/**
 * A raw, pipelined RESP connection: requests are bytes the caller built, replies come back in
 * order. Every wait is bounded; when the socket fails or a request times out, the connection is
 * destroyed and every pending and later request rejects with an `InfrastructureError` — it
 * never retries or replays a write on its own, so a write is either acknowledged or reported.
 */
export class RespConnection {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  private readonly pending: Pending[] = [];
  private failure: InfrastructureError | undefined;

  private constructor(
    private readonly socket: Socket,
    private readonly where: string,
    private readonly commandTimeoutMs: number,
  ) {
    socket.on('data', (d: Buffer) => this.onData(d));
    socket.on('error', (e) => this.fail(`the connection failed (${e.message})`, e));
    socket.on('close', () => this.fail('the server closed the connection'));
  }

  /**
   * Connects to a `redis://[user:pass@]host:port[/db]` URL, authenticates and selects the db.
   * `rediss://` connects over TLS and verifies the server's certificate (CA: `options.ca`, the
   * URL's `?ca=<path>` or `IDGATE_REDIS_CA`), since the TLS support of issue 15.
   */
  static async open(url: string, options: RespConnectionOptions = {}): Promise<RespConnection> {
    const u = new URL(url);
    const host = u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
    const port = Number(u.port || 6379);
    const tls = respTlsOptions(u, options.ca);
    const where = `${host}:${port}${tls === undefined ? '' : ' (TLS)'}`;
    const connectTimeoutMs = options.connectTimeoutMs ?? 5000;
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = tls === undefined ? connect({ host, port, noDelay: true }) : tlsConnect({ ...tls, port });
      if (tls !== undefined) s.setNoDelay(true);
      const timer = setTimeout(() => {
        s.destroy();
        reject(new InfrastructureError('IDGATE_REDIS_CONNECT', `RedisLedger: could not connect to Redis at ${where} within ${connectTimeoutMs} ms`, tls === undefined ? 'check that Redis runs and the URL is right' : tlsRemedy(undefined)));
      }, connectTimeoutMs);
      s.once(tls === undefined ? 'connect' : 'secureConnect', () => {
        clearTimeout(timer);
        resolve(s);
      });
      s.once('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        s.destroy();
        if (tls !== undefined && e.code !== 'ECONNREFUSED') reject(new InfrastructureError('IDGATE_REDIS_TLS', `RedisLedger: TLS to Redis at ${where} failed (${e.message})`, tlsRemedy(e.code), { cause: e }));
        else reject(new InfrastructureError('IDGATE_REDIS_CONNECT', `RedisLedger: could not connect to Redis at ${where} (${e.message})`, 'check that Redis runs and the URL is right', { cause: e }));
      });
    });
    const conn = new RespConnection(socket, where, options.commandTimeoutMs ?? 60_000);
    const setup: Buffer[] = [];
    if (u.password !== '') {
      const auth = u.username !== '' ? ['AUTH', decodeURIComponent(u.username), decodeURIComponent(u.password)] : ['AUTH', decodeURIComponent(u.password)];
      setup.push(encodeCommand(auth));
    }
    const db = u.pathname.replace(/^\//, '');
    if (db !== '') setup.push(encodeCommand(['SELECT', db]));
    if (setup.length > 0) {
      const replies = await conn.request(setup, setup.length);
      for (const r of replies) {
        if (r instanceof RespErrorReply) {
          conn.close();
          throw new InfrastructureError('IDGATE_REDIS_AUTH', `RedisLedger: Redis at ${where} refused the connection setup (${r.message})`, 'check the user, password and database in the Redis URL');
        }
      }
    }
    return conn;
  }

  /** Writes `payload` and resolves with the next `replies` replies, in order. */
  request(payload: Buffer | readonly Buffer[], replies: number): Promise<RespReply[]> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.fail(`no reply within ${this.commandTimeoutMs} ms`), this.commandTimeoutMs);
      this.pending.push({ want: replies, replies: [], resolve, reject, timer });
      if (Buffer.isBuffer(payload)) this.socket.write(payload);
      else for (const p of payload) this.socket.write(p);
    });
  }

  /**
   * Like {@link RespConnection.request} for commands that answer integers (HSETNX, HINCRBY,
   * EXPIRE): replies are parsed straight into a Float64Array, no object per reply — the Redis
   * ledger gets one reply per ID, and the general parser cost ~0.3 µs each on the main thread.
   */
  requestIntegers(payload: Buffer, replies: number): Promise<IntegerReplies> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const ints: IntegerReplies = { values: new Float64Array(replies), received: 0, firstOther: undefined };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.fail(`no reply within ${this.commandTimeoutMs} ms`), this.commandTimeoutMs);
      this.pending.push({ want: replies, replies: [], ints, resolve: () => resolve(ints), reject, timer });
      this.socket.write(payload);
    });
  }

  /**
   * Like {@link RespConnection.request}, but each reply comes back as its own bytes (type byte to
   * final CRLF), framed without building a value: for callers that read big arrays (SCAN, MGET)
   * with their own tight parser and pass key bytes on unchanged.
   */
  requestRaw(payload: Buffer, replies: number): Promise<Buffer[]> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.fail(`no reply within ${this.commandTimeoutMs} ms`), this.commandTimeoutMs);
      this.pending.push({ want: replies, replies: [], raw: true, resolve: resolve as (r: RespReply[]) => void, reject, timer });
      this.socket.write(payload);
    });
  }

  /** True once the connection has failed or been closed. */
  get failed(): boolean {
    return this.failure !== undefined;
  }

  /** Destroys the socket; pending requests reject. Idempotent. */
  close(): void {
    this.fail('the connection was closed');
  }

  private fail(why: string, cause?: Error): void {
    if (this.failure === undefined) {
      this.failure = new InfrastructureError(
        'IDGATE_REDIS_CONNECTION',
        `RedisLedger: Redis at ${this.where}: ${why}`,
        'check that Redis is running and reachable; writes not acknowledged are not counted as stored',
        cause ? { cause } : undefined,
      );
      this.socket.destroy();
    }
    for (const p of this.pending.splice(0)) {
      clearTimeout(p.timer);
      p.reject(this.failure);
    }
  }

  private onData(d: Buffer): void {
    this.buf = this.pos >= this.buf.length ? d : Buffer.concat([this.buf.subarray(this.pos), d]);
    this.pos = 0;
    for (;;) {
      const head = this.pending[0];
      if (head === undefined) {
        if (this.pos < this.buf.length) this.fail('the server sent a reply nobody asked for');
        return;
      }
      if (head.ints !== undefined) {
        if (!this.parseIntegers(head, head.ints)) return;
        continue;
      }
      const start = this.pos;
      const r = head.raw === true ? this.skip() : this.parse();
      if (r === INCOMPLETE) {
        this.pos = start;
        return;
      }
      head.replies.push(r === true ? this.buf.subarray(start, this.pos) : r);
      if (head.replies.length === head.want) {
        this.pending.shift();
        clearTimeout(head.timer);
        head.resolve(head.replies);
      }
    }
  }

  /** Parses integer replies for `head` until it is complete (true) or the data runs out (false). */
  private parseIntegers(head: Pending, ints: IntegerReplies): boolean {
    const buf = this.buf;
    const len = buf.length;
    while (ints.received < head.want) {
      const start = this.pos;
      if (start >= len) return false;
      if (buf[start] === 0x3a) {
        // `:<digits>\r\n`, possibly negative.
        let p = start + 1;
        let neg = false;
        if (buf[p] === 0x2d) {
          neg = true;
          p++;
        }
        let v = 0;
        while (p < len && buf[p] !== 0x0d) v = v * 10 + (buf[p++]! - 48);
        if (p + 1 >= len) return false;
        this.pos = p + 2;
        ints.values[ints.received++] = neg ? -v : v;
        continue;
      }
      const r = this.parse();
      if (r === INCOMPLETE) {
        this.pos = start;
        return false;
      }
      ints.firstOther ??= r instanceof RespErrorReply ? r.message : `unexpected reply ${JSON.stringify(r)}`;
      ints.values[ints.received++] = Number.NaN;
    }
    this.pending.shift();
    clearTimeout(head.timer);
    head.resolve(head.replies);
    return true;
  }

  private line(): string | typeof INCOMPLETE {
    const end = this.buf.indexOf('\r\n', this.pos, 'latin1');
    if (end < 0) return INCOMPLETE;
    const s = this.buf.toString('latin1', this.pos, end);
    this.pos = end + 2;
    return s;
  }

  /**
   * The integer that ends the current line, read straight from the bytes (no string per reply:
   * a SCAN or MGET page answers a thousand bulk strings); moves past its CRLF.
   */
  private int(): number | typeof INCOMPLETE {
    const buf = this.buf;
    const len = buf.length;
    let p = this.pos;
    const neg = p < len && buf[p] === 0x2d;
    if (neg) p++;
    let v = 0;
    for (; p < len; p++) {
      const c = buf[p]!;
      if (c === 0x0d) break;
      if (c < 0x30 || c > 0x39) {
        this.fail(`the server sent a length or integer that is not a number (byte ${c})`);
        return INCOMPLETE;
      }
      v = v * 10 + (c - 0x30);
    }
    if (p + 1 >= len) return INCOMPLETE;
    this.pos = p + 2;
    return neg ? -v : v;
  }

  /** Moves past one complete reply without building it; INCOMPLETE when the data runs out. */
  private skip(): true | typeof INCOMPLETE {
    if (this.pos >= this.buf.length) return INCOMPLETE;
    const type = this.buf[this.pos++];
    if (type === 0x24 || type === 0x2a || type === 0x3a) {
      const n = this.int();
      if (n === INCOMPLETE) return INCOMPLETE;
      if (type === 0x24 && n >= 0) {
        if (this.pos + n + 2 > this.buf.length) return INCOMPLETE;
        this.pos += n + 2;
      } else if (type === 0x2a) {
        for (let i = 0; i < n; i++) if (this.skip() === INCOMPLETE) return INCOMPLETE;
      }
      return true;
    }
    if (type !== 0x2b && type !== 0x2d) {
      this.fail(`the server sent bytes that are not RESP (type byte ${String(type)})`);
      return INCOMPLETE;
    }
    const end = this.buf.indexOf('\r\n', this.pos, 'latin1');
    if (end < 0) return INCOMPLETE;
    this.pos = end + 2;
    return true;
  }

  private parse(): RespReply | typeof INCOMPLETE {
    if (this.pos >= this.buf.length) return INCOMPLETE;
    const type = this.buf[this.pos++];
    if (type === 0x24) {
      // $
      const n = this.int();
      if (n === INCOMPLETE) return INCOMPLETE;
      if (n < 0) return null;
      if (this.pos + n + 2 > this.buf.length) return INCOMPLETE;
      const b = Buffer.from(this.buf.subarray(this.pos, this.pos + n));
      this.pos += n + 2;
      return b;
    }
    if (type === 0x3a) return this.int(); // :
    if (type === 0x2a) {
      // *
      const n = this.int();
      if (n === INCOMPLETE) return INCOMPLETE;
      if (n < 0) return null;
      const out: RespReply[] = [];
      for (let i = 0; i < n; i++) {
        const r = this.parse();
        if (r === INCOMPLETE) return INCOMPLETE;
        out.push(r);
      }
      return out;
    }
    const l = this.line();
    if (l === INCOMPLETE) return INCOMPLETE;
    switch (type) {
      case 0x2b: // +
        return l;
      case 0x2d: // -
        return new RespErrorReply(l);
      default:
        this.fail(`the server sent bytes that are not RESP (type byte ${String(type)})`);
        return INCOMPLETE;
    }
  }
}
