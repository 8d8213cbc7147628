import { describe, expect, it } from 'vitest';
import { LineProgress } from '../harness/cli/index.js';
import type { Finding } from '../harness/model/index.js';
import { compareFindingBaseline, entropyRows, findingBaselineOf, formatHtml, formatMarkdown, redactSecrets, RUN_REPORT_SCHEMA_VERSION, type RunReport } from '../harness/report/index.js';

const SECRET = 'hunter2-s3cret';

function finding(i: number, over: Partial<Finding> = {}): Finding {
  return {
    kind: 'duplicate',
    domain: 'session',
    rule: 'within-domain',
    message: `session: ${i} ID(s) minted more than once`,
    ids: [`session_${i}_a`, `session_${i}_b`],
    owners: [1, 2],
    source: 'memory',
    evidence: {},
    replay: { seed: 7, command: 'npx idgate gate --target mutant:x --profile ci --seed 7' },
    ...over,
  };
}

function report(findings: Finding[]): RunReport {
  return {
    schemaVersion: RUN_REPORT_SCHEMA_VERSION,
    idgateVersion: '0.1.0',
    runId: 'r1',
    command: 'gate',
    target: `node serve.js --db redis://admin:${SECRET}@db.internal:6379/0`,
    profile: 'ci',
    seed: 7,
    users: 3,
    startedAt: '2026-11-23T10:00:00.000Z',
    replay: 'npx idgate gate --target mutant:x --profile ci --seed 7',
    exitCode: 1,
    thresholds: {},
    domains: [{ domain: 'session', minted: 100, batches: 2 }],
    ledgers: [{ ledger: 'memory', domains: [{ domain: 'session', appended: 100, stored: 100, distinct: 99 }] }],
    checked: {},
    timings: { wallMs: 1000, workloadMs: 800, ledgerMs: { memory: 5 } },
    series: [
      { tMs: 0, minted: 0, written: { memory: 0 } },
      { tMs: 500, minted: 100, written: { memory: 100 } },
    ],
    entropy: [],
    findings,
    owners: { '1': 'alice', '2': 'bob' },
  };
}

describe('reports', () => {
  it('credentials in any string never reach the JSON, Markdown or HTML', () => {
    const leaky = finding(1, { message: `redis://u:${SECRET}@h:1 failed; see http://x/?token=${SECRET}&a=1`, evidence: { url: `clickhouse://default:${SECRET}@ch:8123` } });
    const r = report([leaky]);
    for (const text of [JSON.stringify(redactSecrets(r)), formatMarkdown(r), formatHtml(r)]) {
      expect(text).not.toContain(SECRET);
      expect(text).toContain('***@');
    }
  });

  it('the Markdown summary fits a pull-request comment however many findings there are', () => {
    const many = Array.from({ length: 5000 }, (_, i) => finding(i, { domain: `d${i}`, message: 'x'.repeat(300) }));
    const md = formatMarkdown(report(many));
    expect(md.length).toBeLessThanOrEqual(60_000);
    expect(md).toMatch(/and 4990 more/);
    expect(md.split('\n').filter((l) => l.startsWith('- **duplicate')).length).toBe(10);
  });

  it('the HTML page is self-contained: no script, no external URL in src/href, charts inline', () => {
    const html = formatHtml(report([finding(1)]));
    expect(html).not.toMatch(/<script|<link|@import|src="http|href="http/i);
    expect(html).toMatch(/<svg class="chart"/);
    expect(html).toContain('npx idgate gate --target mutant:x --profile ci --seed 7');
  });

  it('a baseline accepts by kind/domain/rule, fails new fingerprints, lists fixed ones, never accepts a broken run', () => {
    const old = [finding(1), finding(2, { kind: 'pattern', rule: 'no-parse' }), finding(3, { kind: 'infrastructure', domain: undefined, rule: undefined })];
    const baseline = findingBaselineOf(old);
    expect(baseline.findings.map((f) => f.fingerprint)).toEqual(['duplicate/session/within-domain', 'pattern/session/no-parse']);
    const now = [finding(9), finding(4, { kind: 'multi-owner', rule: undefined }), finding(5, { kind: 'infrastructure', domain: undefined, rule: undefined })];
    const cmp = compareFindingBaseline(now, { version: 1, findings: [...baseline.findings, { fingerprint: 'infrastructure/-/-', message: '' }] });
    expect(cmp.known.map((f) => f.kind)).toEqual(['duplicate']);
    expect(cmp.new.map((f) => f.kind)).toEqual(['multi-owner', 'infrastructure']);
    expect(cmp.fixed).toEqual(['pattern/session/no-parse']);
  });

  it("entropy rows come from the entropy check's evidence, one per domain", () => {
    const rows = entropyRows([
      finding(1, { kind: 'entropy', evidence: { row: { estimatedBits: 21, claimedBits: 96, bitsNeeded: 95.7, probability: 1 } } }),
      finding(2, { kind: 'entropy', domain: 'user', evidence: { estimatedBits: 40 } }),
      finding(3),
    ]);
    expect(rows).toEqual([
      { domain: 'session', estimatedBits: 21, claimedBits: 96, neededBits: 95.7, collisionProbability: 1 },
      { domain: 'user', estimatedBits: 40 },
    ]);
  });

  it('plain progress lines never flood a CI log: quiet for short runs, at most one line per interval', () => {
    let now = 0;
    const lines: string[] = [];
    const quiet = new LineProgress({ write: (l) => lines.push(l), now: () => now });
    quiet.start({ domains: ['a'], idsPerDomain: 1000, ledgers: ['memory'] });
    for (let i = 1; i <= 1000; i++) quiet.minted('a', i);
    quiet.stop();
    expect(lines).toEqual([]);

    const p = new LineProgress({ write: (l) => lines.push(l), now: () => now });
    p.start({ domains: ['a', 'b'], idsPerDomain: 600_000, ledgers: ['memory', 'redis'] });
    // 10 minutes of updates every 10 ms.
    for (let t = 0; t < 600_000; t += 10) {
      now = t;
      p.minted(t < 300_000 ? 'a' : 'b', (t % 300_000) + 1);
      p.written('redis', 'a', 1);
    }
    p.stop();
    expect(lines.length).toBeLessThanOrEqual(61);
    expect(lines.length).toBeGreaterThan(50);
    expect(lines[0]).toMatch(/^idgate: minted [\d.]+k?\/1\.20M \(\d+%\) · a [\d.]+k?\/600k · written memory 0, redis [\d.]+k? · [\d.]+k? IDs\/s · ETA /);
    expect(lines.at(-1)).toMatch(/^idgate: minted .* IDs in 10 min 00 s/);
  });
});
