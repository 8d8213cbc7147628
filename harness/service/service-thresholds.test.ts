import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateServiceThresholds, parseServiceThresholds, ServiceThresholdError, thresholdFindings } from './service-thresholds.js';

const metrics = (path: number[], extra: Record<string, number[]> = {}) => ({ trends: new Map<string, readonly number[]>([['path', path], ...Object.entries(extra)]), usersPerSecond: 80, usersFailed: 0.02 });

describe('service thresholds (k6-style)', () => {
  it('parses metric → expression(s) with every aggregation and operator', () => {
    const t = parseServiceThresholds({ path: ['p(95)<2000', 'max <= 5000', 'avg>1'], 'step.login': 'p(99.9)<500', 'step.sendMessage': 'med!=0', users_per_second: 'value>=50', users_failed: 'rate<0.01' });
    expect(t.map((x) => `${x.metric} ${x.aggregation} ${x.operator} ${x.limit}`)).toEqual([
      'path p(95) < 2000',
      'path max <= 5000',
      'path avg > 1',
      'step.login p(99.9) < 500',
      'step.sendMessage med != 0',
      'users_per_second value >= 50',
      'users_failed rate < 0.01',
    ]);
    expect(t[1]!.expression).toBe('max<=5000');
  });

  it.each([
    [{ latency: 'p(95)<1' }, 'service.thresholds.latency', /is not a metric/],
    [{ 'step.logon': 'p(95)<1' }, 'service.thresholds.step.logon', /is not a metric/],
    [{ path: 'p95<2000' }, 'service.thresholds.path', /"p95<2000" is not <aggregation><operator><number>/],
    [{ path: 'value<2000' }, 'service.thresholds.path', /path has no aggregation value/],
    [{ users_failed: 'p(95)<1' }, 'service.thresholds.users_failed', /users_failed has no aggregation p\(95\)/],
    [{ path: 'p(0)<1' }, 'service.thresholds.path', /p\(N\) takes 0 < N ≤ 100/],
    [{ path: [] }, 'service.thresholds.path', /is empty/],
    [['p(95)<1'], 'service.thresholds', /must be an object/],
  ])('rejects %j naming the key and the fix', (input, key, problem) => {
    let e: unknown;
    try {
      parseServiceThresholds(input);
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(ServiceThresholdError);
    expect((e as ServiceThresholdError).key).toBe(key);
    expect((e as ServiceThresholdError).problem).toMatch(problem);
    expect((e as ServiceThresholdError).remedy).toMatch(/^(write|use) /);
    expect((e as ServiceThresholdError).exitCode).toBe(2);
  });

  it('evaluates against the samples: nearest-rank p(N), and a finding naming metric, limit and measured value for each failure', () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100 ms
    const r = evaluateServiceThresholds(parseServiceThresholds({ path: ['p(95)<95', 'p(95)<=95', 'max<100', 'min==1', 'avg<51'], users_failed: 'rate<0.01', users_per_second: 'value>50', 'step.login': 'p(99)<1' }), metrics(samples));
    expect(r.map((x) => [x.expression, x.measured, x.ok])).toEqual([
      ['p(95)<95', 95, false],
      ['p(95)<=95', 95, true],
      ['max<100', 100, false],
      ['min==1', 1, true],
      ['avg<51', 50.5, true],
      ['rate<0.01', 0.02, false],
      ['value>50', 80, true],
      ['p(99)<1', Number.NaN, false],
    ]);
    const f = thresholdFindings(r, 'service http://127.0.0.1:1');
    expect(f.map((x) => `${x.kind}/${x.rule}`)).toEqual(Array(4).fill('target-failure/threshold'));
    expect(f[0]!.message).toBe('service http://127.0.0.1:1: threshold path p(95)<95 failed: measured p(95) 95 ms, limit < 95 ms');
    expect(f[2]!.message).toMatch(/threshold users_failed rate<0\.01 failed: measured rate 0\.020, limit < 0\.010/);
    expect(f[3]!.message).toMatch(/threshold step\.login p\(99\)<1 failed: measured no sample/);
    expect(f[0]!.evidence).toMatchObject({ metric: 'path', threshold: 'p(95)<95', limit: 95, measured: 95 });
  });

  it('property: max<=m holds and max<m fails where m is the largest sample; p(100) is the max', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1e6 }), { minLength: 1, maxLength: 200 }), (xs) => {
        const m = Math.max(...xs);
        const [le, lt, p100] = evaluateServiceThresholds(parseServiceThresholds({ path: [`max<=${m}`, `max<${m}`, `p(100)==${m}`] }), metrics(xs));
        return le!.ok && !lt!.ok && p100!.ok;
      }),
    );
  });
});
