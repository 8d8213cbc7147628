import { describe, expect, it } from 'vitest';
import type { RunReport } from '../report/index.js';
import { formatServiceJunit } from './service-junit.js';

const base = {
  schemaVersion: 1,
  idgateVersion: '0.0.0',
  runId: 'r',
  command: 'golden',
  target: 'service http://127.0.0.1:1',
  profile: 'golden',
  seed: 1,
  users: 2,
  startedAt: '2026-01-01T00:00:00.000Z',
  replay: 'npx idgate golden --service fixture --seed 1',
  exitCode: 1,
  thresholds: {},
  domains: [],
  ledgers: [],
  checked: {},
  timings: { wallMs: 1500, workloadMs: 1000, ledgerMs: {} },
  series: [],
  entropy: [],
  owners: {},
} as const satisfies Omit<RunReport, 'findings'>;

describe('formatServiceJunit', () => {
  it('fails the case of each finding kind with its messages, escaped; threshold findings count only under their threshold', () => {
    const report: RunReport = {
      ...base,
      findings: [
        { kind: 'isolation', rule: 'event-wrong-user', source: 'service', message: 'user "a<b>&c\u0001" got an event of "d"', ids: [], owners: [0, 1], evidence: {} },
        { kind: 'target-failure', rule: 'threshold', source: 'service', message: 'threshold path p(95)<1 failed', ids: [], owners: [], evidence: {} },
      ],
      service: { url: 'http://127.0.0.1:1', completed: 2, usersPerSecond: 1, events: 0, path: { count: 2, p50: 1, p95: 2, p99: 2, max: 2 }, steps: {}, thresholds: [{ metric: 'path', expression: 'p(95)<1', measured: 2, ok: false }], skipped: [] },
    };
    const xml = formatServiceJunit(report);
    expect(xml).toMatch(/<testsuite name="idgate golden --service" tests="7" failures="2" errors="0" skipped="0" time="1\.500"/);
    expect(xml).toContain('<failure message="1 finding(s): user &quot;a&lt;b&gt;&amp;c\ufffd&quot; got an event of &quot;d&quot;" type="isolation">');
    expect(xml).toContain('name="every step answered in time (target-failure)" time="0"/>');
    expect(xml).toContain('<failure message="measured 2, limit p(95)&lt;1" type="threshold">');
    expect([...xml].some((c) => c.charCodeAt(0) < 0x09)).toBe(false);
  });
});
