import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../harness/model/index.js';
import { defaultCatalog } from '../harness/spec/index.js';
import { InProcessTarget, SubprocessTarget, extractParent, type StartedTarget, type TargetOutcome } from '../harness/targets/index.js';
import { createTarget as createReference } from '../fixtures/reference/index.js';

const fixture = (p: string) => fileURLToPath(new URL(`../fixtures/${p}`, import.meta.url));
const PYTHON = process.env.PYTHON ?? 'python3';
const catalog = defaultCatalog();
const USERS = ['alice', 'user_000001', 'user_000002', 'ünï "quoted"\\', ''];

/** Every reference target through every adapter it can run behind. */
const REFERENCES: [string, () => Promise<TargetOutcome<StartedTarget>>][] = [
  ['TS reference, in-process', () => new InProcessTarget({ module: fixture('reference/reference-target.ts') }).start()],
  ['TS reference, node subprocess', () => new SubprocessTarget({ command: process.execPath, args: ['--import', 'tsx', fixture('reference/serve.ts')] }).start()],
  ['Python reference, subprocess', () => new SubprocessTarget({ command: PYTHON, args: [fixture('python/reference_target.py')] }).start()],
];

function started(outcome: TargetOutcome<StartedTarget>): StartedTarget {
  if (!outcome.ok) throw new Error(outcome.finding.message);
  return outcome.value;
}

function ok<T>(outcome: TargetOutcome<T>): T {
  if (!outcome.ok) throw new Error(outcome.finding.message);
  return outcome.value;
}

describe.each(REFERENCES)('%s', (_label, start) => {
  let target: StartedTarget;
  beforeAll(async () => {
    target = started(await start());
  });
  afterAll(async () => {
    const stopped = await target.stop();
    expect(stopped.findings).toEqual([]);
  });

  it('mints the requested count of unique IDs in every default domain, each parsing under its spec', async () => {
    const seen = new Set<string>();
    let total = 0;
    for (const domain of catalog.domains) {
      const codec = catalog.codec(domain);
      for (const user of USERS) {
        const ids = ok(await target.generate(domain, { user, op: 'chat_v2' }, 500));
        expect(ids).toHaveLength(500);
        for (const id of ids) {
          const r = codec.parse(id);
          if (!r.ok) throw new Error(r.error.message);
          seen.add(id);
        }
        total += ids.length;
      }
    }
    expect(seen.size).toBe(total);
  });

  it('tags each user with one tag no other user shares', async () => {
    const tags = new Map<string, string>();
    for (const user of USERS) {
      const [id] = ok(await target.generate('session', { user }, 1));
      const r = catalog.codec('session').parse(id!);
      expect(r.ok).toBe(true);
      if (r.ok) tags.set(user, r.value.fields.user!);
    }
    expect(new Set(tags.values()).size).toBe(USERS.length);
  });

  it('couples thread, run and request so the declared extraction rules read the real parents', async () => {
    const ctx = ok(await target.userContext('alice', 'plan_and_act'));
    expect(extractParent(target.extractionRules, 'run', ctx.run, catalog)?.parent).toBe(ctx.thread);
    expect(extractParent(target.extractionRules, 'request', ctx.request, catalog)?.parent).toBe(ctx.run);
    const runs = ok(await target.generate('run', { parents: { thread: ctx.thread } }, 50));
    for (const run of runs) expect(catalog.codec('run').parse(run)).toMatchObject({ ok: true, value: { fields: { thread: ctx.thread } } });
  });

  it("accepts its own IDs with its own validator and reads their owner and parent as the spec does", async () => {
    const ids = ok(await target.generate('session', { user: 'bob' }, 200));
    expect(ok(await target.validate('session', ids)).every(Boolean)).toBe(true);
    expect(ok(await target.validate('session', ['session_nope']))).toEqual([false]);
    const views = ok(await target.parse('session', ids.slice(0, 3)));
    for (const [i, v] of views.entries()) expect(v?.owner).toBe(ids[i]!.split('_')[1]);
    const ctx = ok(await target.userContext('bob', 'x'));
    expect(ok(await target.parse('run', [ctx.run]))[0]?.parent).toBe(ctx.thread);
  });

  it('cleans up by patterns that match none of another user\'s IDs', async () => {
    const patterns = ok(await target.cleanupPatterns('alice'));
    expect(patterns.length).toBeGreaterThan(0);
    const globToRegex = (g: string) => new RegExp(`^${g.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
    const others = ok(await target.generate('session', { user: 'alicf' }, 100));
    const mine = ok(await target.generate('session', { user: 'alice' }, 10));
    expect(others.filter((id) => patterns.some((p) => globToRegex(p).test(id)))).toEqual([]);
    expect(mine.every((id) => patterns.some((p) => globToRegex(p).test(id)))).toBe(true);
  });

  it('answers pipelined bulk requests in full', async () => {
    const batches = await Promise.all(Array.from({ length: 8 }, () => target.generate('user', {}, 25_000)));
    const all = batches.flatMap(ok);
    expect(all).toHaveLength(200_000);
    expect(new Set(all).size).toBe(200_000);
  });
});

describe('a target that fails', () => {
  const timeouts = { startMs: 2_000, requestMs: 1_500, stopMs: 1_500 };
  const failing = (mode: string) => new SubprocessTarget({ command: PYTHON, args: [fixture('python/failing_target.py'), mode], name: `failing-${mode}`, timeouts });

  async function firstGenerate(mode: string): Promise<{ finding: Finding; later: TargetOutcome<readonly string[]>; ms: number }> {
    const target = started(await failing(mode).start());
    const t0 = performance.now();
    const r = await target.generate('user', {}, 10);
    const ms = performance.now() - t0;
    const later = await target.generate('user', {}, 10);
    await target.stop();
    if (r.ok) throw new Error(`mode ${mode}: expected a target-failure finding, got ${r.value.length} IDs`);
    return { finding: r.finding, later, ms };
  }

  it.each([
    ['crash', 'crash', /exited with code 3/],
    ['hang', 'hang', /did not answer within 1500 ms/],
    ['garbage', 'garbage', /not the protocol/],
  ])('%s: a target-failure finding naming target and request, within the timeout, and no more answers', async (mode, rule, message) => {
    const { finding, later, ms } = await firstGenerate(mode);
    expect(finding).toMatchObject({ kind: 'target-failure', rule, domain: 'user', source: `target:failing-${mode}` });
    expect(finding.message).toMatch(message);
    expect(finding.message).toMatch(new RegExp(`^target "failing-${mode}" .* on request #1 \\(generate user ×10\\)$`));
    expect(ms).toBeLessThan(timeouts.requestMs + 1_000);
    expect(later.ok).toBe(false);
    if (!later.ok) expect(later.finding.rule).toBe('unavailable');
  });

  it('crash: the finding carries the stderr the target wrote', async () => {
    const { finding } = await firstGenerate('crash');
    expect(finding.evidence.stderrTail).toMatch(/crashing on purpose/);
  });

  it.each([
    ['wrong-count', 'wrong-count', /answered 9 string IDs instead of 10/],
    ['error', 'error', /RuntimeError: generator out of order/],
  ])('%s: a target-failure finding, and the target stays usable', async (mode, rule, message) => {
    const { finding, later } = await firstGenerate(mode);
    expect(finding).toMatchObject({ kind: 'target-failure', rule });
    expect(finding.message).toMatch(message);
    expect(later.ok).toBe(false);
    if (!later.ok) expect(later.finding.rule).toBe(rule);
  });

  it.each([
    ['silent', 'hang', /sent no hello line within 2000 ms/],
    ['bad-hello', 'handshake', /speaks protocol 99, idgate speaks 1/],
  ])('%s: start yields a target-failure finding instead of a target', async (mode, rule, message) => {
    const r = await failing(mode).start();
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.finding).toMatchObject({ kind: 'target-failure', rule });
      expect(r.finding.message).toMatch(message);
    }
  });

  it('exit-on-stop: stopping reports the bad exit as a finding', async () => {
    const target = started(await failing('exit-on-stop').start());
    ok(await target.generate('user', {}, 3));
    const stopped = await target.stop();
    expect(stopped.findings).toHaveLength(1);
    expect(stopped.findings[0]).toMatchObject({ kind: 'target-failure', rule: 'crash' });
    expect(stopped.findings[0]!.message).toMatch(/exited with code 7 when stopped/);
  });

  it('in-process: a throwing, hanging, miscounting or absent target yields findings within the timeout', async () => {
    const base = { name: 'x', userContext: () => ({ thread: 't', run: 'r', request: 'q' }) };
    const cases: [string, () => unknown, string][] = [
      ['throws', () => { throw new Error('boom'); }, 'error'],
      ['hangs', () => new Promise(() => undefined), 'hang'],
      ['miscounts', () => ['a'], 'wrong-count'],
      ['answers garbage', () => 'not an array', 'bad-answer'],
      ['answers numbers', () => Array.from({ length: 10 }, (_, i) => i), 'bad-answer'],
    ];
    for (const [label, generate, rule] of cases) {
      const target = started(await new InProcessTarget({ module: () => ({ ...base, generate }) as never, name: label, timeouts: { requestMs: 300 } }).start());
      const r = await target.generate('user', {}, 10);
      expect(r.ok, label).toBe(false);
      if (!r.ok) expect(r.finding, label).toMatchObject({ kind: 'target-failure', rule, source: `target:${label}` });
      await target.stop();
    }
    const notATarget = await new InProcessTarget({ module: () => ({}) as never, name: 'empty' }).start();
    expect(notATarget.ok ? 'started' : notATarget.finding.rule).toBe('handshake');
    const hangsAtStart = await new InProcessTarget({ module: () => new Promise(() => undefined), name: 'slow', timeouts: { startMs: 200 } }).start();
    expect(hangsAtStart.ok ? 'started' : hangsAtStart.finding.rule).toBe('hang');
  });

  it('in-process: the reference factory can be passed directly', async () => {
    const target = started(await new InProcessTarget({ module: createReference }).start());
    expect(ok(await target.generate('tool_exec', {}, 7))).toHaveLength(7);
    await target.stop();
  });
});
