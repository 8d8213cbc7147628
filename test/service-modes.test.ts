import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CHAT_SERVICE_MODES, ChatCluster, chatServiceSpec, startChatService, type ChatModeSpec, type ChatServiceMode } from '../fixtures/service/index.js';
import type { Finding } from '../harness/model/index.js';
import { runServiceGolden, type ServiceGoldenResult } from '../harness/service/index.js';

// The detection table of the fixture service: every mode (one defect or fault each) driven by a
// few dozen users through the golden path against real Redis on loopback; the correct mode must
// pass, every other mode must fail with exactly the finding kinds its entry in
// CHAT_SERVICE_MODES names (plus, at most, the consequences it allows), and every run ends
// within seconds with nothing left in Redis.
const SEED = Number(process.env.IDGATE_SEED ?? 20261124);
const USERS = 32;
let redis: Redis;

beforeAll(async () => {
  redis = new Redis(inject('stores').redisUrl, { lazyConnect: true });
  await redis.connect();
});
afterAll(() => redis.disconnect());

async function keysUnder(prefix: string): Promise<number> {
  let n = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    n += keys.length;
  } while (cursor !== '0');
  return n;
}

const tags = (findings: readonly Finding[]) => new Set(findings.flatMap((f) => [f.kind, `${f.kind}/${f.rule ?? ''}`]));

/** Each mode's run, kept for the tests that look closer (tests in a file run in order). */
const results = new Map<ChatServiceMode, { r: ServiceGoldenResult; ms: number; pids: readonly number[] }>();

async function golden(mode: ChatServiceMode): Promise<{ r: ServiceGoldenResult; ms: number; pids: readonly number[] }> {
  const known = results.get(mode);
  if (known !== undefined) return known;
  const redisUrl = inject('stores').redisUrl;
  const t0 = performance.now();
  const service = await startChatService({ redisUrl, mode });
  const pids = service instanceof ChatCluster ? service.pids : [process.pid];
  try {
    // Generous bounds (CI runs this beside other files on 2 cores), but a short step bound where
    // the mode stalls, so it ends in seconds.
    const timeouts = { stepMs: mode === 'stall-ws' ? 1000 : 5000, cleanupMs: 2000 };
    const r = await runServiceGolden({ spec: chatServiceSpec(service, redisUrl, timeouts), users: USERS, seed: SEED, replay: `idgate golden --service fixture:${mode} --users ${USERS} --seed ${SEED}` });
    const result = { r, ms: performance.now() - t0, pids };
    results.set(mode, result);
    return result;
  } finally {
    await service.stop();
    expect(await keysUnder(service.keyPrefix)).toBe(0);
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('fixture service modes: each defect is caught by its expected finding kinds', () => {
  for (const [mode, spec] of Object.entries(CHAT_SERVICE_MODES) as [ChatServiceMode, ChatModeSpec][]) {
    it(`${mode}: ${spec.expected.length === 0 ? 'passes' : `fails with ${spec.expected.join(', ')}`}`, async () => {
      const { r, ms } = await golden(mode);
      const found = tags(r.findings);
      const summary = r.findings.map((f) => `${f.kind}/${f.rule ?? ''}: ${f.message.slice(0, 200)}`);
      if (spec.expected.length === 0) {
        expect(summary).toEqual([]);
        expect(r.completed).toBe(USERS);
        expect(r.exitCode).toBe(0);
      } else {
        for (const want of spec.expected) expect(found.has(want), `${mode} must report ${want}; got ${summary.join('\n')}`).toBe(true);
        const allowed = new Set<string>([...spec.expected, ...(spec.mayAlso ?? [])]);
        for (const f of r.findings) {
          expect(allowed.has(f.kind) || allowed.has(`${f.kind}/${f.rule ?? ''}`), `${mode} reported an unexpected ${f.kind}/${f.rule ?? ''}: ${f.message.slice(0, 300)}`).toBe(true);
        }
        expect(r.exitCode).toBe(1);
      }
      // Bounded: no step waits longer than its timeout, so even the stalling modes end quickly.
      expect(ms).toBeLessThan(20_000);
    });
  }

  it('the faults name the user and the step: a stalled start_run, a dropped socket, an HTTP 500 at login', async () => {
    const message = async (mode: ChatServiceMode, rule: string) => (await golden(mode)).r.findings.find((f) => f.rule === rule)?.message ?? '';
    expect(await message('stall-ws', 'hang')).toMatch(/\d+ step\(s\) the service did not answer in time; first: user ".+" at step startRun: no run event within 1000 ms/);
    expect(await message('drop-socket', 'socket-closed')).toMatch(/first: user ".+" at step sendMessage#3: the service closed the socket with 1006/);
    expect(await message('http-500', 'error')).toMatch(/first: user ".+" at step login: HTTP 500/);
  });

  it('per-process-counter really runs two processes: the duplicate thread IDs come from counters that both start at 0', async () => {
    const { r, pids } = await golden('per-process-counter');
    expect(pids).toHaveLength(2);
    expect(pids).not.toContain(process.pid);
    // stop() ended both workers.
    expect(pids.filter(alive)).toEqual([]);
    const dup = r.findings.find((f) => f.kind === 'duplicate' && f.domain === 'thread');
    // thread_<op>_<24 hex counter>: small counter values, never random ones.
    expect(dup?.ids.length).toBeGreaterThan(0);
    expect(dup!.ids.every((id) => /^thread_[a-z_]+_0{20}[0-9a-f]{4}$/.test(id))).toBe(true);
  });
});
