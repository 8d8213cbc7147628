import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// npm run build has run (npm test builds first); `npm pack` packs dist/ as it is.
const work = mkdtempSync(join(tmpdir(), 'idgate-pack-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const npm = (args: readonly string[], cwd: string) =>
  spawnSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, encoding: 'utf8', timeout: 240_000, env: { ...process.env, npm_config_update_notifier: 'false' } });

describe('the packed package', () => {
  it('installs into an empty project and runs npx idgate gate against the bundled reference on plain Node', () => {
    // Arrange: pack, then install the tarball alone into a fresh project (its dependencies from the registry or npm's cache).
    const packed = npm(['pack', '--pack-destination', work], process.cwd());
    expect(packed.status, packed.stderr).toBe(0);
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    expect(tarball).toBeDefined();
    const app = join(work, 'app');
    execFileSync('mkdir', ['-p', app]);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'idgate-pack-check', private: true, type: 'module' }));
    const installed = npm(['install', '--prefer-offline', '--ignore-scripts', join(work, tarball!)], app);
    expect(installed.status, installed.stderr).toBe(0);
    // The configuration imports the public API by the package's name.
    writeFileSync(join(app, 'idgate.config.ts'), "import { defineConfig } from 'idgate';\nexport default defineConfig({ target: 'reference', profiles: { ci: { idsPerDomain: 2000 } } });\n");

    // Act: what a new user types.
    const run = spawnSync('npx', ['idgate', 'gate', '--profile', 'ci', '--seed', '7', '--out', 'reports/pack'], { cwd: app, encoding: 'utf8', timeout: 180_000, env: { ...process.env, CI: 'true', FORCE_COLOR: '0' } });
    const api = spawnSync(process.execPath, ['--input-type=module', '-e', "const m = await import('idgate'); const v = await import('idgate/vitest'); console.log(typeof m.defineConfig, typeof m.runGate, typeof v.idgateProject);"], { cwd: app, encoding: 'utf8' });

    // Assert
    const out = `${run.stdout}${run.stderr}`;
    expect(out).toMatch(/idgate gate: target reference, profile ci \(2000 IDs per domain.*config idgate\.config\.ts/);
    expect(out).toMatch(/idgate gate: PASS/);
    expect(run.status, out).toBe(0);
    const result = JSON.parse(readFileSync(join(app, 'reports', 'pack', 'result.json'), 'utf8')) as { findings: unknown[]; domains: { minted: number }[] };
    expect(result.findings).toEqual([]);
    expect(result.domains.length).toBeGreaterThan(0);
    expect(result.domains.every((d) => d.minted >= 2000), JSON.stringify(result.domains)).toBe(true);
    expect(readdirSync(join(app, 'reports', 'pack')).sort()).toEqual(['junit.xml', 'report.html', 'result.json', 'summary.md']);
    expect(api.stdout.trim(), api.stderr).toBe('function function function');
  }, 420_000);
});
