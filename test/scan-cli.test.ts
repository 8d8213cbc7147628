import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../harness/cli/index.js';
import { RespConnection } from '../harness/ledger/index.js';
import { readRunReport } from '../harness/report/index.js';
import { respCommand } from '../harness/scan/index.js';
import { LocalServer, redisRecipe, type StartedLocalServer } from '../harness/stores/index.js';
import { ScanFixture } from './scan-fixture.js';

async function run(argv: string[]): Promise<{ code: number; text: string }> {
  const lines: string[] = [];
  const code = await main(argv, (l) => lines.push(l));
  return { code, text: lines.join('\n') };
}

describe('idgate scan (command line)', () => {
  let server: StartedLocalServer;
  let dir: string;
  let url: string;
  const f = new ScanFixture();
  const leaked = f.id('session', { user: f.tag(1) });

  beforeAll(async () => {
    server = await new LocalServer(redisRecipe).start();
    dir = await mkdtemp(join(tmpdir(), 'idgate-scan-cli-'));
    const admin = await RespConnection.open(server.url);
    const cmds = [
      ['SADD', `user:${f.user(1)}:sessions`, leaked],
      ['SADD', `user:${f.user(2)}:sessions`, f.id('session', { user: f.tag(2) })],
      // User 1's session ID in user 3's inbox: one ID, two owners, across two key spaces.
      ['HSET', `user:${f.user(3)}:inbox`, 'from', leaked],
      ['ACL', 'SETUSER', 'reader', 'on', '>top-secret-pw', '~*', '-@all', '+@read', '-@write', '-keys', '+cluster|nodes'],
    ];
    await admin.request(cmds.map((c) => respCommand(c)), cmds.length);
    admin.close();
    url = server.url.replace('redis://', 'redis://reader:top-secret-pw@');
  });

  afterAll(async () => {
    await server?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('prints the finding with domain, owners and IDs, writes result.json, exits 1, and never shows the password', async () => {
    const out = join(dir, 'all');
    const { code, text } = await run(['scan', 'redis', '--url', url, '--match', 'user:*', '--owner-from', 'key:1', '--rate', '0', '--out', out]);
    expect(code, text).toBe(1);
    expect(text).toContain('[multi-owner/scan] session: 1 ID(s) are held by two or more users');
    expect(text).toContain(JSON.stringify(leaked));
    expect(text).toContain(f.user(1));
    expect(text).toContain(f.user(3));
    expect(text).toMatch(/replay: npx idgate scan redis --url \S+ --match 'user:\*' --owner-from key:1 --rate 0/);
    expect(text).not.toContain('top-secret-pw');
    const report = await readRunReport(out);
    expect(report.command).toBe('scan redis');
    expect(report.exitCode).toBe(1);
    expect(report.findings.map((x) => `${x.kind}/${x.domain}`)).toEqual(['multi-owner/session']);
    expect(report.findings[0]!.ids).toEqual([leaked]);
    expect(report.findings[0]!.owners.map((o) => report.owners[String(o)]).sort()).toEqual([f.user(1), f.user(3)].sort());
    for (const file of ['result.json', 'summary.md', 'report.html']) expect(await readFile(join(out, file), 'utf8')).not.toContain('top-secret-pw');
    expect(await readFile(join(out, 'summary.md'), 'utf8')).toContain(leaked);
  });

  it('passes (exit 0) on clean data', async () => {
    const { code, text } = await run(['scan', 'redis', '--url', url, '--match', `user:${f.user(2)}:*`, '--owner-from', 'key:1', '--out', join(dir, 'clean')]);
    expect(code, text).toBe(0);
    expect(text).toContain('PASS');
    expect(text).toContain('1 keys on 1 server(s), 0 finding(s)');
  });

  it('refuses to start without --url, with a foreign flag or an unknown store (exit 2, message says what to do)', async () => {
    const noUrl = await run(['scan', 'redis', '--match', '*']);
    expect(noUrl.code).toBe(2);
    expect(noUrl.text).toMatch(/^idgate scan redis: --url is required.*\n {2}→ name the server/);
    const foreign = await run(['scan', 'redis', '--url', url, '--match', '*', '--table', 'a.b']);
    expect(foreign.code).toBe(2);
    expect(foreign.text).toContain('--table belongs to idgate scan clickhouse');
    const unknown = await run(['scan', 'postgres', '--url', 'x']);
    expect(unknown.code).toBe(2);
    const missing = await run(['scan', 'clickhouse', '--url', 'http://127.0.0.1:1', '--table', 'a.b']);
    expect(missing.code).toBe(2);
    expect(missing.text).toContain('--id-column is required');
  });
});
