import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../harness/cli/index.js';
import type { RunReport } from '../harness/report/index.js';

// `idgate golden` against the fixture service chosen by the configuration's `service` key, with
// k6-style thresholds: the run writes the reports `idgate gate` writes (result.json valid
// against docs/schema, summary.md, report.html, junit.xml) with users/s and latency
// percentiles; a threshold that fails fails the run (exit 1) naming metric, limit and
// measured value; a threshold that does not parse is exit 2 naming file, key and fix.
const require = createRequire(import.meta.url);
const { default: Ajv } = require('ajv') as typeof import('ajv');
const { default: addFormats } = require('ajv-formats') as typeof import('ajv-formats');
const validate = (() => {
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync('docs/schema/run-report.schema.json', 'utf8')) as object);
})();

const work = mkdtempSync(join(tmpdir(), 'idgate-service-reports-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function config(name: string, service: unknown): string {
  const file = join(work, name);
  writeFileSync(file, `export default ${JSON.stringify({ stores: 'local', service })};\n`);
  return file;
}

async function run(args: string[]): Promise<{ code: number; text: string }> {
  const lines: string[] = [];
  const code = await main(args, (l) => lines.push(l));
  return { code, text: lines.join('\n') };
}

let bad = 0;
const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');

describe('idgate golden with service in the configuration: reports and thresholds', () => {
  it('a failing threshold fails the run with a finding naming metric, limit and measured value; every report carries users/s and the percentiles', async () => {
    const file = config('failing.config.mjs', { spec: 'fixture', users: 40, thresholds: { path: ['p(95)<60000'], 'step.login': 'p(99)<0.001', users_failed: 'rate<0.01' } });
    const out = join(work, 'failing');
    const { code, text } = await run(['golden', '--config', file, '--seed', '5', '--out', out]);
    expect(text).toMatch(/service http:\/\/127\.0\.0\.1:\d+ \(fixture, correct\), 40 concurrent users, seed 5, config /);
    expect(text).toMatch(/threshold step\.login: p\(99\)<0\.001 FAILED \(measured [\d.]+\)/);
    expect(text).toMatch(/threshold path: p\(95\)<60000 ok/);
    expect(text).toMatch(/\[target-failure\/threshold\][^\n]*threshold step\.login p\(99\)<0\.001 failed: measured p\(99\) [\d.]+ ms, limit < 0\.001 ms/);
    expect(code).toBe(1);

    const report = JSON.parse(read(out, 'result.json')) as RunReport;
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.command).toBe('golden');
    expect(report.exitCode).toBe(1);
    expect(report.findings.map((f) => `${f.kind}/${f.rule}`)).toEqual(['target-failure/threshold']);
    expect(report.findings[0]!.evidence).toMatchObject({ metric: 'step.login', threshold: 'p(99)<0.001', limit: 0.001 });
    expect(report.domains.map((d) => [d.domain, d.minted])).toEqual([['session', 40], ['ws_conn', 40], ['thread', 40], ['run', 40], ['message', 200]]);
    const s = report.service!;
    expect(s.fixtureMode).toBe('correct');
    expect(s.completed).toBe(40);
    expect(s.usersPerSecond).toBeGreaterThan(0);
    expect(s.path.count).toBe(40);
    expect(s.path.p50!).toBeLessThanOrEqual(s.path.p95!);
    expect(s.path.p95!).toBeLessThanOrEqual(s.path.p99!);
    expect(Object.keys(s.steps).sort()).toEqual(['createThread', 'delivery', 'disconnect', 'login', 'sendMessage', 'socket', 'startRun']);
    expect(s.steps.sendMessage!.count).toBe(200);
    expect(s.thresholds.map((t) => [t.metric, t.expression, t.ok])).toEqual([
      ['path', 'p(95)<60000', true],
      ['step.login', 'p(99)<0.001', false],
      ['users_failed', 'rate<0.01', true],
    ]);
    expect(s.thresholds[1]!.measured).toEqual(expect.any(Number));

    const md = read(out, 'summary.md');
    expect(md).toContain('### idgate golden: ❌ FAIL');
    expect(md).toContain('#### Service golden path');
    expect(md).toMatch(/\*\*\d+ users\/s\*\*, path p95 \*\*\d+ ms\*\*/);
    expect(md).toMatch(/\| path \(login → last delivery\) \| 40 \| \d+ ms \| \d+ ms \| \d+ ms \| \d+ ms \|/);
    expect(md).toMatch(/\| step sendMessage \| 200 \|/);
    expect(md).toMatch(/\| `step\.login: p\(99\)<0\.001` \| [\d.]+ \| ❌ \|/);

    const html = read(out, 'report.html');
    expect(html).toContain('<table id="latency">');
    expect(html).toMatch(/<tr data-metric="path"><td>path \(login → last delivery\)<\/td><td class="num">40<\/td>/);
    expect(html).toMatch(/<tr data-ok="false"><td><code>step\.login: p\(99\)&lt;0\.001<\/code>/);
    expect(html).toMatch(/<strong data-fact="users-per-second">\d+<\/strong> users\/s/);

    // idgate report renders the service section again from result.json alone.
    rmSync(join(out, 'summary.md'));
    expect((await run(['report', out])).code).toBe(0);
    expect(read(out, 'summary.md')).toBe(md);

    const junit = read(out, 'junit.xml');
    expect(junit).toMatch(/<testsuite name="idgate golden --service" tests="9" failures="1" errors="0"/);
    expect(junit).toMatch(/<testcase classname="idgate golden --service" name="threshold step\.login: p\(99\)&lt;0\.001" time="0">\s*<failure message="measured [\d.]+, limit p\(99\)&lt;0\.001" type="threshold">/);
    expect(junit).toMatch(/<testcase classname="idgate golden --service" name="every user sees only its own IDs and state \(isolation\)" time="0"\/>/);
  });

  it('passes when every threshold holds; a defect mode fails the junit case of its kind', async () => {
    const ok = join(work, 'ok');
    const pass = await run(['golden', '--config', config('ok.config.mjs', { spec: 'fixture', users: 30, rampMs: 300, thresholds: { path: 'p(95)<60000', users_per_second: 'value>0' } }), '--seed', '5', '--out', ok]);
    expect(pass.text).toMatch(/PASS in [\d.]+ s — 0 finding\(s\)/);
    expect(pass.code).toBe(0);
    expect(read(ok, 'junit.xml')).toMatch(/tests="8" failures="0"/);
    expect((JSON.parse(read(ok, 'result.json')) as RunReport).exitCode).toBe(0);

    // --service wins over the configuration's service.
    const bad = join(work, 'bad');
    const fail = await run(['golden', '--config', join(work, 'ok.config.mjs'), '--service', 'fixture:random-uuid-conn', '--users', '20', '--seed', '5', '--out', bad]);
    expect(fail.code).toBe(1);
    const junit = read(bad, 'junit.xml');
    expect(junit).toMatch(/name="every ID in its domain’s shape \(pattern\)" time="0">\s*<failure message="\d+ finding\(s\): ws_conn: 20 ID\(s\) do not parse/);
    expect(junit).toMatch(/name="every ID seen once \(duplicate, multi-owner\)" time="0"\/>/);
    expect(validate(JSON.parse(read(bad, 'result.json'))), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each([
    [{ spec: 'fixture', thresholds: { path: 'p95<2000' } }, /: service\.thresholds\.path: "p95<2000" is not <aggregation><operator><number>\n {2}→ write e\.g\. 'p\(95\)<2000'/],
    [{ spec: 'fixture', thresholds: { 'step.logn': 'p(95)<1' } }, /: service\.thresholds\.step\.logn: is not a metric of the service golden path\n {2}→ use path, step\.login/],
    [{ spec: 'fixture', user: 10 }, /: service\.user: unknown key\n {2}→ did you mean users\?/],
    [{ users: 10 }, /: service\.spec: must name the service/],
    [{ spec: 'fixture', timeouts: { stepMs: 0 } }, /: service\.timeouts\.stepMs: must be a whole number of ms > 0, got 0\n {2}→ write stepMs: 5000/],
    [{ spec: 'fixture', rampMs: -1 }, /: service\.rampMs: must be a whole number of ms ≥ 0, got -1\n {2}→ write rampMs: 2000/],
  ])('a bad service key %j is exit 2 naming the file, the key and the fix, before any traffic', async (service, message) => {
    // One file per case: a loaded configuration module is cached by its path.
    const file = config(`bad-${++bad}.config.mjs`, service);
    const { code, text } = await run(['golden', '--config', file]);
    expect(text).toContain(file);
    expect(text).toMatch(message);
    expect(code).toBe(2);
  });

  it('--service fixture:<unknown mode> is exit 2 listing the modes', async () => {
    const { code, text } = await run(['golden', '--service', 'fixture:nope']);
    expect(text).toMatch(/--service "fixture:nope" names no mode of the fixture service\n {2}→ write --service fixture:<mode>, one of correct, defective, user-tag-route, .*http-500/);
    expect(code).toBe(2);
  });
});
