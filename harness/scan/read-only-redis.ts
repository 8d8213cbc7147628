import { IdgateError, InfrastructureError, UsageError } from '../model/index.js';
import { RespConnection, RespErrorReply, type RespReply } from '../ledger/index.js';
import { redactUrl } from '../stores/index.js';
import { respCommands, SCAN_COMMANDS } from './resp-command.js';
import { allKeysCommand, errorMessage, perKeyCommands, readBulks, readScanReply, RespShapeError, type Bulks } from './resp-bulks.js';

const API = 'idgate scan redis';

/**
 * A Redis connection that can only send the read commands of {@link SCAN_COMMANDS}: anything
 * else throws before a byte leaves. Commands are pipelined; replies come back in order. Errors
 * name the server without credentials.
 */
export class ReadOnlyRedis {
  private constructor(
    private readonly conn: RespConnection,
    /** The server's URL with credentials redacted. */
    readonly where: string,
  ) {}

  /** Connects (and authenticates, as the URL's user) to `url`. */
  static async open(url: string): Promise<ReadOnlyRedis> {
    const where = redactUrl(url);
    try {
      return new ReadOnlyRedis(await RespConnection.open(url, { connectTimeoutMs: 5000, commandTimeoutMs: 60_000 }), where);
    } catch (e) {
      throw wrap(where, e);
    }
  }

  /** Sends `commands` in one pipeline; resolves with one reply per command. */
  async send(commands: readonly (readonly (string | Buffer)[])[]): Promise<RespReply[]> {
    if (commands.length === 0) return [];
    for (const c of commands) {
      const name = String(c[0]).toUpperCase();
      if (!SCAN_COMMANDS.has(name) || (name === 'CLUSTER' && String(c[1]).toUpperCase() !== 'NODES')) {
        throw new UsageError('IDGATE_SCAN_WRITE_REFUSED', `${API}: refused to send ${name} to ${this.where}: the scan sends only ${[...SCAN_COMMANDS].join(', ')}`, 'this is a bug in idgate; report it with the command line you ran');
      }
    }
    try {
      return await this.conn.request(respCommands(commands), commands.length);
    } catch (e) {
      throw wrap(this.where, e);
    }
  }

  /** `SCAN cursor MATCH match COUNT count`, its reply read in place ({@link Bulks}). */
  async scan(cursor: string, match: string, count: number): Promise<{ cursor: string; keys: Bulks }> {
    const [raw] = await this.raw('SCAN', respCommands([['SCAN', cursor, 'MATCH', match, 'COUNT', String(count)]]), 1);
    return this.shaped('SCAN', raw!, readScanReply);
  }

  /** `MGET` over every key of a SCAN page: one value per key, nil for a missing key or another type. */
  async mget(keys: Bulks): Promise<Bulks> {
    const [raw] = await this.raw('MGET', allKeysCommand('MGET', keys), 1);
    const values = this.shaped('MGET', raw!, (b) => readBulks(b, 0));
    if (values.count !== keys.count) throw new InfrastructureError('IDGATE_SCAN_REDIS', `${API}: ${this.where} answered MGET of ${keys.count} keys with ${values.count} values`, 'check the server, then run the scan again');
    return values;
  }

  /** `GET key` or `TYPE key` for the keys `which` picks, pipelined; each reply as its bytes. */
  perKey(name: 'GET' | 'TYPE', keys: Bulks, which: readonly number[]): Promise<Buffer[]> {
    return which.length === 0 ? Promise.resolve([]) : this.raw(name, perKeyCommands(name, keys, which), which.length);
  }

  /** Sends bytes built here, by one of the methods above, for commands of {@link SCAN_COMMANDS}. */
  private async raw(name: string, payload: Buffer, replies: number): Promise<Buffer[]> {
    if (!SCAN_COMMANDS.has(name)) throw new UsageError('IDGATE_SCAN_WRITE_REFUSED', `${API}: refused to send ${name} to ${this.where}`, 'this is a bug in idgate; report it with the command line you ran');
    try {
      return await this.conn.requestRaw(payload, replies);
    } catch (e) {
      throw wrap(this.where, e);
    }
  }

  /** Reads a raw reply with `read`; an error reply or bytes of another shape throw, naming the command. */
  private shaped<T>(command: string, raw: Buffer, read: (b: Buffer) => T): T {
    const error = errorMessage(raw);
    if (error !== undefined) throw replyError(this.where, command, new RespErrorReply(error));
    try {
      return read(raw);
    } catch (e) {
      if (!(e instanceof RespShapeError)) throw e;
      throw new InfrastructureError('IDGATE_SCAN_REDIS', `${API}: ${this.where} answered ${command} with an unexpected reply (${e.message})`, 'check that the URL names a Redis server, then run the scan again');
    }
  }

  /** Sends one command and returns its reply; an error reply throws {@link InfrastructureError}. */
  async call(...args: (string | Buffer)[]): Promise<RespReply> {
    const [r] = await this.send([args]);
    if (r instanceof RespErrorReply) throw replyError(this.where, String(args[0]), r);
    return r!;
  }

  /** Closes the connection. Idempotent. */
  close(): void {
    this.conn.close();
  }
}

/** The error for an error reply to `command`: a missing permission is the user's to fix. */
export function replyError(where: string, command: string, r: RespErrorReply): IdgateError {
  if (/^NOPERM/.test(r.message)) {
    return new UsageError('IDGATE_SCAN_NOPERM', `${API}: ${where} refused ${command} (${r.message})`, 'grant the scan user the read commands of docs/scan.md: ACL SETUSER <user> on ><password> ~* -@all +@read -@write -keys +cluster|nodes');
  }
  return new InfrastructureError('IDGATE_SCAN_REDIS', `${API}: ${where} answered ${command} with an error (${r.message})`, 'check the server and the URL, then run the scan again');
}

function wrap(where: string, e: unknown): IdgateError {
  if (e instanceof IdgateError) {
    const first = e.message.split('\n')[0]!.replace(/^RedisLedger: |^Redis URL [^:]+:\/\/[^:]+:\d*: ?/, '');
    // A CA file that cannot be read is the user's to fix (exit 2); a failed handshake keeps its TLS remedy.
    if (e instanceof UsageError) return new UsageError(e.code, `${API}: --url ${where}: ${first}`, e.remedy, { cause: e });
    const remedy = e.code === 'IDGATE_REDIS_TLS' ? e.remedy : `check that Redis at ${where} is reachable and the URL's user and password are right, then run the scan again`;
    return new InfrastructureError(e.code, `${API}: --url ${where}: ${first}`, remedy, { cause: e });
  }
  return new InfrastructureError('IDGATE_SCAN_REDIS', `${API}: ${where}: ${e instanceof Error ? e.message : String(e)}`, 'check that Redis is reachable, then run the scan again', { cause: e });
}
