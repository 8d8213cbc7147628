import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RespConnection, RespErrorReply, type RespReply } from '../harness/ledger/index.js';
import { parseOwnerSource, respCommand, scanRedis } from '../harness/scan/index.js';
import { LocalServer, redisRecipe, type StartedLocalServer } from '../harness/stores/index.js';
import { call, commandStats, scanSummary as summary, text } from './helpers/redis-admin.js';
import { ScanFixture } from './scan-fixture.js';

/** Debian's redis-server with DEBUG enabled from loopback, for DEBUG DIGEST. */
const debugRedis = new LocalServer({ ...redisRecipe, prepare: async (dir, ports) => [...(await redisRecipe.prepare(dir, ports)), '--enable-debug-command', 'local'] });

describe('idgate scan redis', () => {
  let server: StartedLocalServer;
  let admin: RespConnection;
  const f = new ScanFixture();
  const planted: Record<string, string[]> = {};
  const USERS = 12;

  beforeAll(async () => {
    server = await debugRedis.start();
    admin = await RespConnection.open(server.url);
    const cmds: string[][] = [];
    const runsOf: string[][] = [];
    for (let i = 0; i < USERS; i++) {
      const u = f.user(i);
      const tag = f.tag(i);
      const thread = f.id('thread', { op: 'chat_reply' });
      const runs = [f.id('run', { thread }), f.id('run', { thread })];
      runsOf.push(runs);
      cmds.push(['SET', `user:${u}:session:${f.id('session', { user: tag })}`, JSON.stringify({ ua: 'user_agent Mozilla/5.0', type: 'user_created', ws: f.id('ws_conn', { user: tag }), owner: u })]);
      cmds.push(['HSET', `user:${u}:thread:${thread}`, 'op', 'chat_reply', 'last_run', runs[1]!, 'agent', f.id('agent_exec', { user: tag })]);
      cmds.push(['SADD', `user:${u}:runs`, ...runs]);
      cmds.push(['RPUSH', `user:${u}:messages`, f.id('message', { user: tag, seq: '0' }), f.id('message', { user: tag, seq: '1' })]);
      cmds.push(['ZADD', `user:${u}:requests`, '1', f.id('request', { run: runs[0]! }), '2', f.id('request', { run: runs[1]! })]);
    }
    // Planted: one thread stored under two users (a duplicate in one key space, and two owners).
    const dupThread = f.id('thread', { op: 'chat' });
    cmds.push(['HSET', `user:${f.user(1)}:thread:${dupThread}`, 'op', 'chat'], ['HSET', `user:${f.user(2)}:thread:${dupThread}`, 'op', 'chat']);
    planted['duplicate/thread/key-space'] = [dupThread];
    planted['multi-owner/thread/scan'] = [dupThread];
    // Planted: user 3's run also in user 4's set.
    cmds.push(['SADD', `user:${f.user(4)}:runs`, runsOf[3]![0]!]);
    planted['multi-owner/run/scan'] = [runsOf[3]![0]!];
    // Planted: a session ID with upper-case random in a key name; a truncated thread ID in a hash value.
    const upper = `session_${f.tag(5)}_${f.hex().toUpperCase()}`;
    cmds.push(['SET', `user:${f.user(5)}:session:${upper}`, '{}']);
    planted['pattern/session/parse'] = [upper];
    cmds.push(['HSET', `user:${f.user(6)}:thread:${f.id('thread', { op: 'x' })}`, 'prev', 'thread_chat_abc12']);
    planted['pattern/thread/parse'] = ['thread_chat_abc12'];
    // Planted: user 8 gets a session carrying user 7's tag (whichever SCAN meets second is quoted).
    const shared = f.id('session', { user: f.tag(7) });
    cmds.push(['SET', `user:${f.user(8)}:session:${shared}`, '{}']);
    planted['isolation/session/shared-user-tag'] = ['(a session tagged for user 7)'];
    // Outside --match: defects that must not be reported.
    cmds.push(['SET', `cache:${upper}`, dupThread], ['SET', `cache:${f.user(9)}:x`, runsOf[3]![0]!]);
    // Empty and non-ID values inside the match.
    cmds.push(['SET', `user:${f.user(10)}:note`, 'user_agent and user_created are words, not IDs'], ['XADD', `user:${f.user(11)}:stream`, '*', 'k', 'v']);
    await admin.request(cmds.map((c) => respCommand(c)), cmds.length);
  });

  afterAll(async () => {
    admin?.close();
    await server?.stop();
  });

  it('finds exactly the planted defects, sends no write command and leaves the data unchanged', async () => {
    const digest = text(await call(admin, 'DEBUG', 'DIGEST'));
    const before = await commandStats(admin);
    const result = await scanRedis({ url: server.url, match: 'user:*', ownerFrom: parseOwnerSource('key:1'), count: 7, rate: 0 });
    const after = await commandStats(admin);

    expect(summary(result.findings)).toEqual(planted);
    const tagged = result.findings.find((x) => x.kind === 'isolation')!;
    expect(tagged.owners.map((o) => result.users[o]).sort()).toEqual([f.user(7), f.user(8)].sort());
    const dup = result.findings.find((x) => x.kind === 'duplicate')!;
    expect(dup.owners.map((o) => result.users[o]).sort()).toEqual([f.user(1), f.user(2)].sort());
    expect(result.stats.keys).toBe(USERS * 5 + 7); // 5 per user, 5 planted, a note and a stream
    expect(result.stats.unreadKeys).toBe(1); // the stream

    expect(text(await call(admin, 'DEBUG', 'DIGEST'))).toBe(digest);
    const increased = [...after].filter(([name, n]) => n > (before.get(name) ?? 0)).map(([name]) => name);
    expect(increased).toContain('scan');
    expect(increased).not.toContain('keys');
    for (const name of increased) {
      const [info] = (await call(admin, 'COMMAND', 'INFO', name.split('|')[0]!)) as RespReply[][];
      const flags = (info![2] as RespReply[]).map(text);
      expect(flags, name).not.toContain('write');
    }
  });

  it('runs as an ACL user without write permissions, who is refused a write', async () => {
    await call(admin, 'ACL', 'SETUSER', 'idgate-scan', 'reset', 'on', '>scan-secret', '~*', '-@all', '+@read', '-@write', '-keys', '+cluster|nodes');
    try {
      const url = server.url.replace('redis://', 'redis://idgate-scan:scan-secret@');
      const probe = await RespConnection.open(url);
      const [set] = await probe.request(respCommand(['SET', 'user:probe', 'x']), 1);
      probe.close();
      expect(set).toBeInstanceOf(RespErrorReply);
      expect((set as RespErrorReply).message).toMatch(/^NOPERM/);

      const result = await scanRedis({ url, match: 'user:*', ownerFrom: parseOwnerSource('key:1'), rate: 0 });
      expect(summary(result.findings)).toEqual(planted);
      expect(JSON.stringify(result)).not.toContain('scan-secret');
    } finally {
      await call(admin, 'ACL', 'DELUSER', 'idgate-scan');
    }
  });

  it('reports only the chosen domain with --domain, and nothing outside --match', async () => {
    const result = await scanRedis({ url: server.url, match: 'user:*', ownerFrom: parseOwnerSource('key:1'), domains: ['session'], rate: 0 });
    expect(summary(result.findings)).toEqual({ 'pattern/session/parse': planted['pattern/session/parse'], 'isolation/session/shared-user-tag': planted['isolation/session/shared-user-tag'] });
    const none = await scanRedis({ url: server.url, match: 'nothing:*', rate: 0 });
    expect(none.findings).toEqual([]);
    expect(none.stats.keys).toBe(0);
  });

  it('caps the rate: every SCAN call of COUNT keys waits its share of the second', async () => {
    const t0 = performance.now();
    const r = await scanRedis({ url: server.url, match: 'user:*', count: 10, rate: 200 });
    const ms = performance.now() - t0;
    const calls = r.stats.scanCalls ?? 0;
    expect(calls * 10).toBeGreaterThanOrEqual(r.stats.keys ?? Infinity);
    expect(ms).toBeGreaterThanOrEqual((calls * 10 * 1000) / 200 - 20);
    const fast = performance.now();
    await scanRedis({ url: server.url, match: 'user:*', count: 10, rate: 0 });
    expect(performance.now() - fast).toBeLessThan(ms / 2);
  });
});
