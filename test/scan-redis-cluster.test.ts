import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../harness/cli/index.js';
import { RespConnection, type RespReply } from '../harness/ledger/index.js';
import { readRunReport } from '../harness/report/index.js';
import { respCommand } from '../harness/scan/index.js';
import { startRedisCluster, type StartedRedisCluster } from '../harness/stores/index.js';
import { call, commandStats, scanSummary as summary, text } from './helpers/redis-admin.js';
import { ScanFixture } from './scan-fixture.js';

describe('idgate scan redis on a 3-master Redis Cluster', () => {
  let cluster: StartedRedisCluster;
  let client: Cluster;
  /** One admin connection per master (default user), in the order of cluster.masters. */
  const admins: RespConnection[] = [];
  let dir: string;
  const f = new ScanFixture();
  const planted: Record<string, string[]> = {};
  const USERS = 12;
  /** The planted duplicate's keys, each with the port of the master holding it. */
  let dupPlaces: [key: string, port: number][] = [];
  let dupOwners: string[] = [];

  /** The port of the master serving `key`'s slot: the one master that does not answer MOVED. */
  async function masterOf(key: string): Promise<number> {
    const holders: number[] = [];
    for (const [i, a] of admins.entries()) {
      const [r] = await a.request(respCommand(['EXISTS', key]), 1);
      if (typeof r === 'number') holders.push(cluster.masters[i]!.port);
    }
    expect(holders, key).toHaveLength(1);
    return holders[0]!;
  }

  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3, enableDebugCommand: true });
    for (const m of cluster.masters) admins.push(await RespConnection.open(m.url));
    dir = await mkdtemp(join(tmpdir(), 'idgate-scan-cluster-'));
    const seed = new URL(cluster.seedUrl);
    client = new Cluster([{ host: seed.hostname, port: Number(seed.port) }], { lazyConnect: true });
    await client.connect();

    const cmds: string[][] = [];
    const runsOf: string[][] = [];
    for (let i = 0; i < USERS; i++) {
      const u = f.user(i);
      const tag = f.tag(i);
      const thread = f.id('thread', { op: 'chat_reply' });
      const runs = [f.id('run', { thread }), f.id('run', { thread })];
      runsOf.push(runs);
      cmds.push(['SET', `user:${u}:session:${f.id('session', { user: tag })}`, JSON.stringify({ ws: f.id('ws_conn', { user: tag }), owner: u })]);
      cmds.push(['HSET', `user:${u}:thread:${thread}`, 'op', 'chat_reply', 'last_run', runs[1]!, 'agent', f.id('agent_exec', { user: tag })]);
      cmds.push(['SADD', `user:${u}:runs`, ...runs]);
      cmds.push(['RPUSH', `user:${u}:messages`, f.id('message', { user: tag, seq: '0' }), f.id('message', { user: tag, seq: '1' })]);
      cmds.push(['ZADD', `user:${u}:requests`, '1', f.id('request', { run: runs[0]! }), '2', f.id('request', { run: runs[1]! })]);
    }
    // Planted: one thread stored under user 1 and another user whose key sits on another master.
    const dupThread = f.id('thread', { op: 'chat' });
    const dupKey = (i: number) => `user:${f.user(i)}:thread:${dupThread}`;
    const first = await masterOf(dupKey(1));
    let other = 0;
    for (const i of [2, 6, 9, 10, 11]) if (other === 0 && (await masterOf(dupKey(i))) !== first) other = i;
    dupOwners = [f.user(1), f.user(other)].sort();
    const dupKeys = [dupKey(1), dupKey(other)];
    cmds.push(['HSET', dupKeys[0]!, 'op', 'chat'], ['HSET', dupKeys[1]!, 'op', 'chat']);
    planted['duplicate/thread/key-space'] = [dupThread];
    planted['multi-owner/thread/scan'] = [dupThread];
    // Planted: user 3's run also in user 4's set (one ID, two owners).
    cmds.push(['SADD', `user:${f.user(4)}:runs`, runsOf[3]![0]!]);
    planted['multi-owner/run/scan'] = [runsOf[3]![0]!];
    // Planted: a malformed session ID (upper-case random) in a key name.
    const upper = `session_${f.tag(5)}_${f.hex().toUpperCase()}`;
    cmds.push(['SET', `user:${f.user(5)}:session:${upper}`, '{}']);
    planted['pattern/session/parse'] = [upper];
    // Planted: user 8 holds a session carrying user 7's tag.
    cmds.push(['SET', `user:${f.user(8)}:session:${f.id('session', { user: f.tag(7) })}`, '{}']);
    planted['isolation/session/shared-user-tag'] = ['(a session tagged for user 7)'];
    // Outside --match: defects that must not be reported.
    cmds.push(['SET', `cache:${upper}`, dupThread], ['SET', `cache:${f.user(9)}:x`, runsOf[3]![0]!]);
    for (const c of cmds) await client.call(c[0]!, ...c.slice(1));

    dupPlaces = await Promise.all(dupKeys.map(async (k) => [k, await masterOf(k)] as [string, number]));
    for (const a of admins) await call(a, 'ACL', 'SETUSER', 'idgate-scan', 'on', '>cluster-secret', '~*', '-@all', '+@read', '-@write', '-keys', '+cluster|nodes');
  });

  afterAll(async () => {
    client?.disconnect();
    for (const a of admins) a.close();
    await cluster?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('seeds keys on every master, the planted duplicate on two of them', async () => {
    for (const a of admins) expect(Number(text(await call(a, 'DBSIZE')))).toBeGreaterThan(5);
    expect(new Set(dupPlaces.map(([, port]) => port)).size).toBe(2);
    for (const [key, port] of dupPlaces) expect(text(await call(admins[cluster.masters.findIndex((m) => m.port === port)]!, 'EXISTS', key))).toBe('1');
  });

  it('reports exactly the planted defects from the seed URL, sends no write command to any master, and leaves every master unchanged', async () => {
    const digests = await Promise.all(admins.map(async (a) => text(await call(a, 'DEBUG', 'DIGEST'))));
    const before = await Promise.all(admins.map(commandStats));
    const url = cluster.seedUrl.replace('redis://', 'redis://idgate-scan:cluster-secret@');
    const out = join(dir, 'report');
    const lines: string[] = [];
    const code = await main(['scan', 'redis', '--url', url, '--match', 'user:*', '--owner-from', 'key:1', '--rate', '0', '--count', '50', '--out', out], (l) => lines.push(l));
    const after = await Promise.all(admins.map(commandStats));
    const printed = lines.join('\n');

    expect(code, printed).toBe(1);
    expect(printed).toContain(`${USERS * 5 + 4} keys on 3 server(s)`);
    expect(printed).not.toContain('cluster-secret');
    const report = await readRunReport(out);
    expect(summary(report.findings)).toEqual(planted);
    const dup = report.findings.find((x) => x.kind === 'duplicate')!;
    expect(dup.owners.map((o) => report.owners[String(o)]).sort()).toEqual(dupOwners);
    for (const file of ['result.json', 'summary.md', 'report.html']) expect(await readFile(join(out, file), 'utf8')).not.toContain('cluster-secret');

    for (const [i, a] of admins.entries()) {
      const where = cluster.masters[i]!.url;
      expect(text(await call(a, 'DEBUG', 'DIGEST')), where).toBe(digests[i]);
      const increased = [...after[i]!].filter(([name, n]) => n > (before[i]!.get(name) ?? 0)).map(([name]) => name);
      expect(increased, where).toContain('scan');
      expect(increased, where).not.toContain('keys');
      for (const name of increased) {
        const [info] = (await call(a, 'COMMAND', 'INFO', name.split('|')[0]!)) as RespReply[][];
        expect((info![2] as RespReply[]).map(text), `${where} ${name}`).not.toContain('write');
      }
    }
  });
});
