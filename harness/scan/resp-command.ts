/**
 * One Redis command as RESP bytes; arguments are strings (UTF-8) or raw bytes (key names come
 * back from SCAN as bytes and go back to TYPE and GET unchanged, so binary key names work). The
 * ledger layer's encoder is not part of its public surface, hence this small one.
 */
export function respCommand(args: readonly (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`, 'latin1')];
  for (const a of args) {
    const b = typeof a === 'string' ? Buffer.from(a, 'utf8') : a;
    parts.push(Buffer.from(`$${b.length}\r\n`, 'latin1'), b, Buffer.from('\r\n', 'latin1'));
  }
  return Buffer.concat(parts);
}

/**
 * Many commands as one RESP buffer, for one socket write per pipeline (a write per command cost
 * the scan about as much time as reading the replies): lengths first, then one allocation.
 */
export function respCommands(commands: readonly (readonly (string | Buffer)[])[]): Buffer {
  let size = 0;
  for (const c of commands) {
    size += 3 + String(c.length).length;
    for (const a of c) {
      const n = typeof a === 'string' ? Buffer.byteLength(a, 'utf8') : a.length;
      size += 5 + String(n).length + n;
    }
  }
  const out = Buffer.allocUnsafe(size);
  let p = 0;
  for (const c of commands) {
    p += out.write(`*${c.length}\r\n`, p, 'latin1');
    for (const a of c) {
      const n = typeof a === 'string' ? Buffer.byteLength(a, 'utf8') : a.length;
      p += out.write(`$${n}\r\n`, p, 'latin1');
      p += typeof a === 'string' ? out.write(a, p, 'utf8') : a.copy(out, p);
      out[p++] = 13;
      out[p++] = 10;
    }
  }
  return out;
}

/**
 * Every command the Redis scan may send, and nothing else: read commands plus the cluster
 * topology query. `scanRedis` refuses to send any other (a test also proves from the server's
 * command statistics that no write command arrived).
 */
export const SCAN_COMMANDS: ReadonlySet<string> = new Set(['SCAN', 'TYPE', 'GET', 'MGET', 'HSCAN', 'SSCAN', 'ZSCAN', 'LRANGE', 'DBSIZE', 'CLUSTER']);
