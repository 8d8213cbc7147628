/// <reference lib="dom" />
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { ingestRates, type RunReport } from '../harness/report/index.js';
import { ensureBinary } from '../harness/stores/index.js';

// Flags that keep Chromium from contacting anything: the page must work offline.
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const SCREENSHOT = resolve('reports', 'report-html', 'report.png');
const work = mkdtempSync(join(tmpdir(), 'idgate-report-html-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('report.html in headless Chromium', () => {
  it('loads offline, draws its charts, and shows the same numbers as result.json', async () => {
    // Arrange: a real failing run (duplicates, multi-owner, isolation and entropy findings) through the built CLI.
    const out = join(work, 'run');
    const run = spawnSync(process.execPath, ['dist/harness/cli/main.js', 'gate', '--profile', 'ci', '--ids', '20000', '--target', 'mutant:session-second-user', '--seed', '11', '--out', out], { encoding: 'utf8', timeout: 180_000, env: { ...process.env, CI: 'true', FORCE_COLOR: '0' } });
    expect(run.status, `${run.stdout}${run.stderr}`).toBe(1);
    const report = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as RunReport;
    const executablePath = await ensureBinary({ binary: 'chromium', debianPackage: 'chromium' });
    const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
    try {
      const context = await browser.newContext({ viewport: { width: 960, height: 900 } });
      const outside: string[] = [];
      await context.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : (outside.push(route.request().url()), route.abort())));
      const page = await context.newPage();

      // Act
      await page.goto(pathToFileURL(join(out, 'report.html')).href, { waitUntil: 'load' });

      // Assert: nothing outside the file was asked for.
      expect(outside).toEqual([]);
      expect(await page.textContent('#verdict')).toBe('FAIL');
      expect(await page.textContent('[data-fact="seed"]')).toBe(String(report.seed));
      expect(await page.textContent('[data-fact="minted"]')).toBe(String(report.domains.reduce((s, d) => s + d.minted, 0)));
      // IDs per domain and ledger: one drawn bar per domain for minted and for each ledger, each with the JSON's number.
      const bars = await page.$$eval('#chart-ids rect.bar', (rs) => rs.map((r) => ({ d: r.getAttribute('data-category'), s: r.getAttribute('data-series'), v: Number(r.getAttribute('data-value')), w: r.getBoundingClientRect().width })));
      const expected = [
        ...report.domains.map((d) => ({ d: d.domain, s: 'minted', v: d.minted })),
        ...report.ledgers.flatMap((l) => l.domains.map((d) => ({ d: d.domain, s: l.ledger, v: d.stored }))),
      ];
      expect(bars.map(({ d, s, v }) => ({ d, s, v })).sort((a, b) => `${a.d}/${a.s}`.localeCompare(`${b.d}/${b.s}`))).toEqual(expected.sort((a, b) => `${a.d}/${a.s}`.localeCompare(`${b.d}/${b.s}`)));
      expect(bars.every((b) => b.w > 0)).toBe(true);
      // Ingest rate: one drawn line per series with every sampled interval.
      const lines = await page.$$eval('#chart-rate polyline.line', (ps) => ps.map((p) => ({ s: p.getAttribute('data-series'), n: Number(p.getAttribute('data-points')), w: p.getBoundingClientRect().width })));
      const rates = ingestRates(report.series);
      expect(lines.map((l) => [l.s, l.n])).toEqual([...rates].map(([s, pts]) => [s, pts.length]));
      expect(lines.every((l) => l.w > 0)).toBe(true);
      // Entropy per domain, from the entropy check's figures.
      expect(report.entropy.length).toBeGreaterThan(0);
      const estimated = await page.$$eval('#chart-entropy rect.bar[data-series="estimated bits"]', (rs) => rs.map((r) => [r.getAttribute('data-category'), Number(r.getAttribute('data-value'))]));
      expect(estimated).toEqual(report.entropy.filter((e) => e.estimatedBits !== undefined).map((e) => [e.domain, e.estimatedBits]));
      // Findings, each with its replay command.
      expect(await page.$$eval('.finding', (fs) => fs.length)).toBe(report.findings.length);
      const replays = await page.$$eval('.finding pre.replay', (ps) => ps.map((p) => p.textContent));
      expect(replays.every((r) => r === report.replay)).toBe(true);
      mkdirSync(resolve('reports', 'report-html'), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
    } finally {
      await browser.close();
    }
  }, 300_000);
});
