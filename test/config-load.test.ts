import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../harness/cli/index.js';
import { ConfigError, loadConfig } from '../harness/config/index.js';

const dir = mkdtempSync(join(tmpdir(), 'idgate-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const harness = join(process.cwd(), 'harness');

function file(name: string, text: string): string {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
}

async function configError(f: string): Promise<ConfigError> {
  const e: unknown = await loadConfig({ file: f }).then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(ConfigError);
  return e as ConfigError;
}

describe('loadConfig', () => {
  it('loads a TypeScript config: target, domains added to the catalog, profile overrides, thresholds, paths from the file', async () => {
    const f = file(
      'idgate.config.ts',
      `import { defineConfig } from '${harness}/config/index.ts';
import { defineDomain, literal, random } from '${harness}/spec/index.ts';
const size: number = 1234;
export default defineConfig({
  target: 'reference',
  domains: { domains: [defineDomain('invoice', [literal('invoice'), random()])] },
  profiles: { ci: { idsPerDomain: size } },
  thresholds: { maxCollisionProbability: 1e-9 },
  baseline: 'known.json',
  audit: { root: 'src', allow: ['src/ids/**'] },
});
`,
    );
    const loaded = await loadConfig({ cwd: dir });
    expect(loaded?.file).toBe(f);
    expect(loaded?.config.profiles?.ci?.idsPerDomain).toBe(1234);
    expect(loaded?.catalog?.has('invoice')).toBe(true);
    expect(loaded?.catalog?.has('session')).toBe(true);
    expect(loaded?.resolvePath('known.json')).toBe(join(dir, 'known.json'));
  });

  it('without --config and without a file there is no configuration', async () => {
    expect(await loadConfig({ cwd: join(dir, '..') })).toBeUndefined();
  });

  it.each([
    ['typo.ts', 'export default { tagret: "reference" };', /typo\.ts: tagret: unknown key[\s\S]*did you mean target\?/],
    ['profile.ts', 'export default { profiles: { ci: { idsPerDomain: -5 } } };', /profile\.ts: profiles\.ci\.idsPerDomain: [\s\S]*whole number/],
    ['noprofile.ts', 'export default { profiles: { weekly: {} } };', /noprofile\.ts: profiles\.weekly: unknown key[\s\S]*ci, gate, golden, nightly/],
    ['threshold.ts', 'export default { thresholds: { maxCollisionProbability: 2 } };', /threshold\.ts: thresholds\.maxCollisionProbability: must be a positive number below 1[\s\S]*1e-6/],
    ['stores.ts', 'export default { stores: "cloud" };', /stores\.ts: stores: must be one of auto, url, container, local/],
    ['syntax.ts', 'export default { target: ;', /syntax\.ts: \(file\): cannot be loaded[\s\S]*fix the error/],
    ['notobject.ts', 'export default 42;', /notobject\.ts: \(default export\): must be an object[\s\S]*defineConfig/],
    ['domains.ts', 'export default { domains: { domains: [{ domain: "bad", separator: "_", fields: [{ kind: "parent", name: "p", domain: "nowhere" }] }] } };', /domains\.ts: domains: [\s\S]*nowhere/],
  ])('%s: the error names the file, the key and the fix', async (name, text, message) => {
    const e = await configError(file(name, text));
    expect(e.message).toMatch(message);
    expect(e.exitCode).toBe(2);
  });

  it('a --config that does not exist is named with the fix', async () => {
    const e = await configError(join(dir, 'missing.config.ts'));
    expect(e.message).toMatch(/missing\.config\.ts: \(file\): does not exist[\s\S]*create it/);
  });

  it('idgate gate --config with a bad key exits 2 before anything starts', async () => {
    const f = file('bad-gate.ts', 'export default { profiles: { ci: { users: 0 } } };');
    const lines: string[] = [];
    const code = await main(['gate', '--profile', 'ci', '--config', f], (l) => lines.push(l));
    expect(code).toBe(2);
    expect(lines.join('\n')).toMatch(/bad-gate\.ts: profiles\.ci\.users: [\s\S]*→ /);
  });
});
