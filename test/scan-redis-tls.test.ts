import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../harness/cli/index.js';
import { RespConnection, RespErrorReply } from '../harness/ledger/index.js';
import { readRunReport } from '../harness/report/index.js';
import { parseOwnerSource, respCommand, scanRedis } from '../harness/scan/index.js';
import { LocalServer, redisRecipe, type StartedLocalServer } from '../harness/stores/index.js';
import { ScanFixture } from './scan-fixture.js';

/** A throwaway CA, a server certificate it signed for 127.0.0.1, and an unrelated CA, made with openssl. */
async function makeCertificates(dir: string): Promise<void> {
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  ssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=idgate test CA');
  ssl('req', '-x509', ...ec, '-keyout', 'other-ca.key', '-out', 'other-ca.crt', '-days', '1', '-subj', '/CN=some other CA');
  ssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  await writeFile(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1\n');
  ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '1', '-extfile', 'server.ext');
}

/** Debian's redis-server with only a TLS port (`--port 0`), clients not asked for certificates. */
function tlsRedis(certs: string): LocalServer {
  return new LocalServer({
    ...redisRecipe,
    name: 'redis-tls',
    async prepare(dir, ports) {
      const plain = await redisRecipe.prepare(dir, ports);
      return [...plain.map((a, i) => (plain[i - 1] === '--port' ? '0' : a)), '--tls-port', String(ports[0]), '--tls-cert-file', join(certs, 'server.crt'), '--tls-key-file', join(certs, 'server.key'), '--tls-ca-cert-file', join(certs, 'ca.crt'), '--tls-auth-clients', 'no'];
    },
    probe: (ports) =>
      new Promise((resolve) => {
        const s = tlsConnect({ host: '127.0.0.1', port: ports[0]!, rejectUnauthorized: false }, () => s.write('PING\r\n'));
        s.setTimeout(1000, () => (s.destroy(), resolve(false)));
        s.on('error', () => resolve(false));
        s.on('data', (d: Buffer) => (s.destroy(), resolve(d.toString('latin1').startsWith('+PONG'))));
      }),
    url: (ports) => `rediss://127.0.0.1:${ports[0]}`,
  });
}

async function run(argv: string[]): Promise<{ code: number; text: string }> {
  const lines: string[] = [];
  const code = await main(argv, (l) => lines.push(l));
  return { code, text: lines.join('\n') };
}

describe('idgate scan redis over TLS (rediss://)', () => {
  let certs: string;
  let server: StartedLocalServer;
  let port: number;
  const f = new ScanFixture();
  const leaked = f.id('session', { user: f.tag(1) });

  beforeAll(async () => {
    certs = await mkdtemp(join(tmpdir(), 'idgate-scan-tls-'));
    await makeCertificates(certs);
    server = await tlsRedis(certs).start();
    port = Number(new URL(server.url).port);
    // Seeding through the ledger layer's client proves it speaks TLS as well.
    const admin = await RespConnection.open(`rediss://127.0.0.1:${port}?ca=${join(certs, 'ca.crt')}`);
    const cmds = [
      ['SADD', `user:${f.user(1)}:sessions`, leaked],
      ['HSET', `user:${f.user(3)}:inbox`, 'from', leaked],
      ['ACL', 'SETUSER', 'reader', 'on', '>tls-secret-pw', '~*', '-@all', '+@read', '-@write', '-keys', '+cluster|nodes'],
    ];
    const replies = await admin.request(cmds.map((c) => respCommand(c)), cmds.length);
    expect(replies.some((r) => r instanceof RespErrorReply)).toBe(false);
    admin.close();
  });

  afterAll(async () => {
    await server?.stop();
    if (certs !== undefined) await rm(certs, { recursive: true, force: true });
  });

  it('finds the planted multi-owner ID with the CA from ?ca= in the URL, and never shows the password', async () => {
    const out = join(certs, 'report');
    const url = `rediss://reader:tls-secret-pw@127.0.0.1:${port}?ca=${join(certs, 'ca.crt')}`;
    const { code, text } = await run(['scan', 'redis', '--url', url, '--match', 'user:*', '--owner-from', 'key:1', '--rate', '0', '--out', out]);
    expect(code, text).toBe(1);
    expect(text).toContain('2 keys on 1 server(s)');
    expect(text).toContain(JSON.stringify(leaked));
    expect(text).not.toContain('tls-secret-pw');
    const report = await readRunReport(out);
    expect(report.findings.map((x) => `${x.kind}/${x.domain}`)).toEqual(['multi-owner/session']);
    expect(await readFile(join(out, 'result.json'), 'utf8')).not.toContain('tls-secret-pw');
  });

  it('takes the CA from IDGATE_REDIS_CA', async () => {
    const saved = process.env.IDGATE_REDIS_CA;
    process.env.IDGATE_REDIS_CA = join(certs, 'ca.crt');
    try {
      const r = await scanRedis({ url: `rediss://reader:tls-secret-pw@127.0.0.1:${port}`, match: 'user:*', ownerFrom: parseOwnerSource('key:1'), rate: 0 });
      expect(r.findings.map((x) => `${x.kind}/${x.domain}`)).toEqual(['multi-owner/session']);
    } finally {
      if (saved === undefined) delete process.env.IDGATE_REDIS_CA;
      else process.env.IDGATE_REDIS_CA = saved;
    }
  });

  it('stops with exit 3 on a certificate signed by another CA, naming the URL without credentials and the fix', async () => {
    const { code, text } = await run(['scan', 'redis', '--url', `rediss://reader:tls-secret-pw@127.0.0.1:${port}?ca=${join(certs, 'other-ca.crt')}`, '--match', 'user:*', '--rate', '0', '--out', join(certs, 'wrong')]);
    expect(code, text).toBe(3);
    expect(text).toContain(`rediss://***:***@127.0.0.1:${port}`);
    expect(text).toMatch(/TLS to Redis at 127\.0\.0\.1:\d+ \(TLS\) failed/);
    expect(text).toMatch(/not trusted[\s\S]*\?ca=<path>[\s\S]*IDGATE_REDIS_CA/);
    expect(text).not.toContain('tls-secret-pw');
  });

  it('stops with exit 2 when the CA file cannot be read, or ?ca= comes with redis://', async () => {
    const missing = await run(['scan', 'redis', '--url', `rediss://reader:tls-secret-pw@127.0.0.1:${port}?ca=/nonexistent/ca.pem`, '--match', 'user:*', '--out', join(certs, 'missing')]);
    expect(missing.code, missing.text).toBe(2);
    expect(missing.text).toMatch(/cannot read the CA file "\/nonexistent\/ca\.pem" named by \?ca= in the Redis URL \(ENOENT\)[\s\S]*→ point \?ca= in the Redis URL at a readable PEM file/);
    const plain = await run(['scan', 'redis', '--url', `redis://127.0.0.1:${port}?ca=${join(certs, 'ca.crt')}`, '--match', 'user:*', '--out', join(certs, 'plain')]);
    expect(plain.code, plain.text).toBe(2);
    expect(plain.text).toContain('use rediss://host:port?ca=<path> for TLS');
    expect(missing.text + plain.text).not.toContain('tls-secret-pw');
  });
});
