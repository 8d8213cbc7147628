import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExitCode, UsageError, type Finding } from '../model/index.js';
import { startStores, type StoreName, type StoreProviderName } from '../stores/index.js';
import { resolveProfile, type Profile } from '../workload/index.js';
import type { CommandSpec, FlagValues } from './flags.js';
import { BUILTIN_TARGETS, resolveTarget } from './resolve-target.js';

const here = dirname(fileURLToPath(import.meta.url));
const fromSources = import.meta.url.endsWith('.ts');
const codeRoot = join(here, '..', '..');

/** `idgate gate`, `idgate golden`, `idgate nightly`: the same run with a different default profile. */
export function gateCommand(name: 'gate' | 'golden' | 'nightly'): CommandSpec {
  return {
    name,
    summary: { gate: 'the CI regression gate: every check over every domain, three ledgers', golden: 'the pre-merge golden path (profile golden)', nightly: 'the nightly stress run (profile nightly)' }[name],
    flags: [
      { name: 'target', type: 'string', default: 'reference', description: `built-in (${Object.keys(BUILTIN_TARGETS).join(', ')}), a module path exporting createTarget, or a command speaking docs/protocol.md` },
      { name: 'profile', type: 'string', default: name, description: 'ci, gate, golden or nightly' },
      { name: 'seed', type: 'number', description: 'seeds users and choices; printed, so a run replays (default: random)' },
      { name: 'ids', type: 'number', description: "IDs per domain (overrides the profile's)" },
      { name: 'users', type: 'number', description: "users in the run (overrides the profile's)" },
      { name: 'stores', type: 'string', default: 'auto', description: 'where Redis/ClickHouse come from: auto, url (IDGATE_REDIS_URL, IDGATE_CLICKHOUSE_URL) or local' },
      { name: 'out', type: 'string', description: 'report folder (default: reports/<run id>)' },
    ],
  };
}

/** The runner of `idgate <name>`: the product suites against a target through vitest's Node API. */
export function gateRunner(name: string): (flags: FlagValues, out: (line: string) => void) => Promise<number> {
  return (flags, out) => runGateCommand(name, flags, out);
}

/** Runs the product suites against a target through vitest's Node API; returns the exit code. */
export async function runGateCommand(command: string, flags: FlagValues, out: (line: string) => void): Promise<number> {
  const overrides: { -readonly [K in keyof Profile]?: Profile[K] } = {};
  if (flags.ids !== undefined) overrides.idsPerDomain = flags.ids as number;
  if (flags.users !== undefined) overrides.users = flags.users as number;
  const profile = resolveProfile(flags.profile as string, overrides);
  const targetText = flags.target as string;
  resolveTarget(targetText); // usage errors before anything starts
  const seed = flags.seed === undefined ? randomBytes(4).readUInt32LE(0) >>> 1 : (flags.seed as number);
  if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 31 - 1) {
    throw new UsageError('IDGATE_BAD_SEED', `idgate ${profile.name}: --seed must be a whole number from 0 to 2147483647`, 'use the seed a previous run printed');
  }
  const replay = `npx idgate ${command} --target ${/^[\w@%+=:,./-]+$/.test(targetText) ? targetText : `'${targetText.replace(/'/g, `'\\''`)}'`} --profile ${profile.name} --seed ${seed}${flags.ids === undefined ? '' : ` --ids ${String(flags.ids)}`}${flags.users === undefined ? '' : ` --users ${String(flags.users)}`}`;
  const runId = `${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-${profile.name}-${seed}`;
  const outDir = resolve((flags.out as string | undefined) ?? join('reports', runId));
  out(`idgate ${command}: target ${targetText}, profile ${profile.name} (${profile.idsPerDomain} IDs per domain, ${profile.users} users, ledgers ${['memory', ...profile.ledgers.filter((l) => l !== 'memory')].join(', ')}), seed ${seed}`);

  const needed = profile.ledgers.filter((l): l is StoreName => l !== 'memory');
  const stores = needed.length > 0 ? await startStores({ stores: needed, provider: flags.stores as StoreProviderName | 'auto', log: out }) : undefined;
  const t0 = performance.now();
  try {
    const { startVitest } = await import('vitest/node');
    const include = fromSources ? ['suites/*.suite.ts'] : ['dist/suites/*.suite.js'];
    const root = fromSources ? codeRoot : join(codeRoot, '..');
    const vitest = await startVitest(
      'test',
      [],
      {
        config: false,
        root,
        include,
        globalSetup: [join(codeRoot, 'suites', `gate-setup${fromSources ? '.ts' : '.js'}`)],
        provide: {
          idgateGate: {
            target: targetText,
            profile: profile.name,
            seed,
            overrides,
            replay,
            redisUrl: needed.includes('redis') ? stores?.endpoint('redis').url : undefined,
            clickhouseUrl: needed.includes('clickhouse') ? stores?.endpoint('clickhouse').url : undefined,
            outDir,
          },
        },
        reporters: ['default', ['junit', { outputFile: join(outDir, 'junit.xml') }]],
        watch: false,
        pool: 'forks',
        testTimeout: profile.propertyTimeLimitMs * 2 + 30_000,
        hookTimeout: 60_000,
      },
      {},
      { stdout: process.stdout, stderr: process.stderr },
    );
    const failedTests = vitest.state.getCountOfFailedTests();
    const errors = vitest.state.getUnhandledErrors().length;
    await vitest.close();
    const resultFile = join(outDir, 'result.json');
    if (!existsSync(resultFile)) {
      out(`idgate ${command}: the run did not complete (see the errors above); no result was written`);
      return ExitCode.Infrastructure;
    }
    const result = JSON.parse(readFileSync(resultFile, 'utf8')) as { findings: Finding[]; exitCode: number };
    let code = result.exitCode;
    if (code === ExitCode.Pass && (failedTests > 0 || errors > 0)) code = ExitCode.Findings;
    const byKind = new Map<string, number>();
    for (const f of result.findings) byKind.set(f.kind, (byKind.get(f.kind) ?? 0) + 1);
    out('');
    out(`idgate ${command}: ${code === ExitCode.Pass ? 'PASS' : 'FAIL'} in ${((performance.now() - t0) / 1000).toFixed(1)} s — ${result.findings.length} finding(s)${byKind.size > 0 ? ` (${[...byKind].map(([k, n]) => `${k} ${n}`).join(', ')})` : ''}, ${failedTests} failed test(s)`);
    out(`  report: ${outDir}`);
    out(`  replay: ${replay}`);
    return code;
  } finally {
    await stores?.stop();
  }
}
