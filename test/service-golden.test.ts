import { createServer as createHttpServer } from 'node:http';
import { createServer as createNetServer, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { chatServiceSpec, startChatService, type ChatServiceMode } from '../fixtures/service/index.js';
import { runServiceGolden, type ServiceGoldenResult } from '../harness/service/index.js';
import { defineService, ServiceTarget, type ServiceTimeouts } from '../harness/targets/index.js';
import { createUserTable } from '../harness/workload/index.js';

// The service golden path end to end: the fixture chat service (Node http + ws, state in the
// real Redis of the test run, IDs from the reference generator) started on a free loopback
// port, driven by hundreds of concurrent users, stopped always; plus services that hang.
const SEED = Number(process.env.IDGATE_SEED ?? 20261124);
let redis: Redis;

beforeAll(async () => {
  redis = new Redis(inject('stores').redisUrl, { lazyConnect: true });
  await redis.connect();
});
afterAll(() => redis.disconnect());

async function keysUnder(prefix: string): Promise<string[]> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    out.push(...keys);
  } while (cursor !== '0');
  return out;
}

/** Runs the golden path against a fixture service in `mode`; returns the result and the keys left before stop. */
async function golden(mode: ChatServiceMode, users: number, options: { inChildProcess?: boolean; timeouts?: ServiceTimeouts } = {}): Promise<{ r: ServiceGoldenResult; left: string[]; prefix: string; url: string }> {
  const service = await startChatService({ redisUrl: inject('stores').redisUrl, mode, ...(options.inChildProcess === true ? { inChildProcess: true } : {}) });
  try {
    const r = await runServiceGolden({ spec: chatServiceSpec(service, inject('stores').redisUrl, options.timeouts), users, seed: SEED, replay: `idgate golden --service fixture:${mode} --seed ${SEED}` });
    return { r, left: await keysUnder(service.keyPrefix), prefix: service.keyPrefix, url: service.url };
  } finally {
    await service.stop();
  }
}

const summary = (r: ServiceGoldenResult) => r.findings.map((f) => `${f.kind}/${f.rule ?? ''}: ${f.message.slice(0, 300)}`);

describe('service golden path', () => {
  it('the correct fixture service passes with 500 concurrent users, and leaves no key, socket or server behind', async () => {
    // The service in a process of its own, as the CLI runs it; the step timeout is generous
    // because CI runs this beside other test files on 2 cores (a hang is still bounded).
    const { r, left, prefix, url } = await golden('correct', 500, { inChildProcess: true, timeouts: { stepMs: 20_000 } });
    console.log(`service correct: ${r.users.length} users, ${r.completed} completed, ${(r.wallMs / 1000).toFixed(1)} s, ${Math.round(r.users.length / (r.wallMs / 1000))} users/s, path p50 ${r.latency.p50.toFixed(0)} ms p95 ${r.latency.p95.toFixed(0)} ms p99 ${r.latency.p99.toFixed(0)} ms`);
    expect(summary(r)).toEqual([]);
    expect(r.completed).toBe(500);
    expect(r.skipped).toEqual([]);
    // Every ID of the path was seen and checked: a session, connection, thread, run and 5 messages per user.
    expect(r.ids).toEqual({ session: 500, ws_conn: 500, thread: 500, run: 500, message: 2500 });
    // The service cleaned up after every disconnect (what stays is its empty namespace), and stop removed the rest.
    expect(left).toEqual([]);
    expect(await keysUnder(prefix)).toEqual([]);
    await expect(fetch(`${url}/login`, { method: 'POST', signal: AbortSignal.timeout(2000) })).rejects.toThrow();
  });

  it('the defective fixture service fails with isolation findings naming the users, the event, the IDs and the close code 1011', async () => {
    const { r, prefix } = await golden('defective', 200);
    const byRule = new Map(r.findings.map((f) => [f.rule, f]));
    expect(r.exitCode).toBe(1);
    const wrong = byRule.get('event-wrong-user');
    expect(wrong?.kind).toBe('isolation');
    expect(wrong?.message).toMatch(/user ".+" received a message event with \w+ ID \w+ of user ".+"/);
    expect(wrong!.owners.length).toBeGreaterThanOrEqual(2);
    const ex = (wrong!.evidence.cases as Record<string, unknown>[])[0]!;
    expect(ex.user).not.toEqual(ex.owner);
    expect(r.users).toContain(ex.user);
    expect(r.users).toContain(ex.owner);
    // The victim and the disconnecting user share their first 8 characters.
    const cleanup = byRule.get('cleanup-reaches-other-user');
    expect(cleanup?.kind).toBe('isolation');
    expect(cleanup?.message).toMatch(/the disconnect of user ".+" removed key .+ of user ".+"; the service then closed the socket of ".+" with 1011/);
    const c = (cleanup!.evidence.cases as Record<string, unknown>[]).find((e) => e.closeCode === 1011)!;
    expect(c).toBeDefined();
    expect(encodeURIComponent(String(c.user)).slice(0, 8)).toBe(encodeURIComponent(String(c.victim)).slice(0, 8));
    expect(c.user).not.toBe(c.victim);
    expect(await keysUnder(prefix)).toEqual([]);
  });

  it('rampMs spreads the users’ starts (a k6 ramp-up); each path is timed from its own start', async () => {
    const redisUrl = inject('stores').redisUrl;
    const service = await startChatService({ redisUrl });
    try {
      // 5 users over 2 s: starts 0, 400, …, 1600 ms after the first.
      const started = await new ServiceTarget({ ...chatServiceSpec(service, redisUrl), rampMs: 2000, messages: 1 }).start();
      if (!started.ok) throw new Error(started.finding.message);
      const t0 = performance.now();
      const obs = await started.value.drive(createUserTable(5, SEED));
      started.value.stop();
      const greeted = obs.users.map((u) => u.events[0]!.at);
      expect(Math.max(...greeted) - Math.min(...greeted)).toBeGreaterThan(1000);
      // The last user started 1600 ms late; its path does not count that wait.
      const last = obs.users.at(-1)!;
      expect(last.pathMs).toBeLessThan(last.events.at(-1)!.at - t0 - 1000);
    } finally {
      await service.stop();
    }
  });

  it('a service that never answers is a target-failure within the step timeout, not a hang', async () => {
    const sockets = new Set<Socket>();
    const silent = createNetServer((s) => sockets.add(s));
    await new Promise<void>((res) => silent.listen(0, '127.0.0.1', () => res()));
    try {
      const port = (silent.address() as { port: number }).port;
      const t0 = performance.now();
      const r = await runServiceGolden({ spec: defineService({ url: `http://127.0.0.1:${port}`, timeouts: { stepMs: 500 } }), users: 20, seed: SEED });
      expect(performance.now() - t0).toBeLessThan(5000);
      expect(r.findings.map((f) => `${f.kind}/${f.rule}`)).toEqual(['target-failure/hang']);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((res) => silent.close(() => res()));
    }
  });

  it('a service that stops answering logins gives one target-failure naming the users and the step', async () => {
    const stalled = createHttpServer((req, res) => {
      if (req.method === 'GET') res.writeHead(404).end();
      // POST /login: never answered.
    });
    await new Promise<void>((res) => stalled.listen(0, '127.0.0.1', () => res()));
    try {
      const port = (stalled.address() as { port: number }).port;
      const r = await runServiceGolden({ spec: defineService({ url: `http://127.0.0.1:${port}`, timeouts: { stepMs: 500 } }), users: 30, seed: SEED });
      expect(r.findings.map((f) => `${f.kind}/${f.rule}`)).toEqual(['target-failure/hang']);
      const f = r.findings[0]!;
      expect(f.message).toMatch(/30 step\(s\) the service did not answer in time; first: user ".+" at step login: no answer within 500 ms/);
      expect(f.owners.length).toBeGreaterThan(0);
    } finally {
      stalled.closeAllConnections();
      await new Promise<void>((res) => stalled.close(() => res()));
    }
  });
});
