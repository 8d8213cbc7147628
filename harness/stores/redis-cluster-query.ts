import { connect } from 'node:net';

/**
 * Sends one inline command (`CLUSTER INFO`, `CLUSTER NODES`, `ROLE`…) to the Redis at
 * 127.0.0.1:`port` and resolves with its reply as text: a bulk or simple string as is, an error
 * reply as `-ERR …`, anything else as the raw bytes read. Bounded by `timeoutMs`; rejects when the
 * server does not answer. The stores layer sits below the ledger's RESP client, hence this small one.
 */
export function redisClusterQuery(port: number, command: string, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host: '127.0.0.1', port });
    let buf = Buffer.alloc(0);
    const finish = (err: Error | undefined, text?: string) => {
      sock.destroy();
      if (err !== undefined) reject(err);
      else resolve(text ?? '');
    };
    sock.setTimeout(timeoutMs, () => finish(new Error(`no reply to ${command} within ${timeoutMs} ms`)));
    sock.on('error', (e) => finish(e));
    sock.on('connect', () => sock.write(`${command}\r\n`));
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      const eol = buf.indexOf('\r\n');
      if (eol < 0) return;
      const head = buf.toString('latin1', 0, eol);
      if (head[0] !== '$') {
        finish(undefined, head[0] === '+' ? head.slice(1) : head);
        return;
      }
      const len = Number(head.slice(1));
      if (len < 0) finish(undefined, '');
      else if (buf.length >= eol + 2 + len) finish(undefined, buf.toString('utf8', eol + 2, eol + 2 + len));
    });
  });
}

/** The `field:value` lines of an INFO-style reply (`CLUSTER INFO`, `INFO replication`) as a map. */
export function infoFields(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) out.set(line.slice(0, i), line.slice(i + 1).trim());
  }
  return out;
}
