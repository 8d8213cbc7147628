import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, type ConfigProfileName, type LoadedConfig } from '../config/index.js';
import { ExitCode, UsageError } from '../model/index.js';
import { findingFingerprint, formatFinding, readRunReport, REPORT_FILES, redactText, type RunReport } from '../report/index.js';
import { startStores, type StoreName, type StoreProviderName } from '../stores/index.js';
import { resolveProfile } from '../workload/index.js';
import type { CommandSpec, FlagValues } from './flags.js';
import { BUILTIN_TARGETS, resolveTarget } from './resolve-target.js';
import { runServiceCommand } from './service-command.js';
import { runShardCommand } from './shard-command.js';

const here = dirname(fileURLToPath(import.meta.url));
const fromSources = import.meta.url.endsWith('.ts');
const codeRoot = join(here, '..', '..');

/** `idgate gate`, `idgate golden`, `idgate nightly`: the same run with a different default profile. */
export function gateCommand(name: 'gate' | 'golden' | 'nightly'): CommandSpec {
  return {
    name,
    summary: { gate: 'the CI regression gate: every check over every domain, three ledgers', golden: 'the pre-merge golden path (profile golden)', nightly: 'the nightly stress run (profile nightly)' }[name],
    flags: [
      { name: 'target', type: 'string', description: `built-in (${Object.keys(BUILTIN_TARGETS).join(', ')}), a module path exporting createTarget, worker:<module or built-in> (one worker thread per instance), subprocess:mutant:<name>, or a command speaking docs/protocol.md (default: the config's target, else reference)` },
      { name: 'peer', type: 'string', description: 'a second system (same forms as --target) whose validator and parser must read every minted ID as the target does' },
      { name: 'config', type: 'string', description: 'configuration file (default: idgate.config.ts, .mts, .js or .mjs in the working directory, if any)' },
      { name: 'profile', type: 'string', default: name, description: 'ci, gate, golden or nightly' },
      { name: 'seed', type: 'number', description: 'seeds users and choices; printed, so a run replays (default: random)' },
      { name: 'ids', type: 'number', description: "IDs per domain (overrides the profile's)" },
      { name: 'users', type: 'number', description: "users in the run (overrides the profile's)" },
      { name: 'stores', type: 'string', description: "where Redis/ClickHouse come from: auto, url (IDGATE_REDIS_URL, IDGATE_CLICKHOUSE_URL), container or local (default: the config's, else auto)" },
      { name: 'out', type: 'string', description: 'report folder: result.json, summary.md, report.html, junit.xml (default: reports/<run id>)' },
      { name: 'baseline', type: 'string', description: "accepted-findings file: known findings are reported but pass, new ones fail, fixed ones are listed (default: the config's baseline)" },
      { name: 'update-baseline', type: 'boolean', description: "rewrite --baseline to accept this run's findings, and pass on them" },
      { name: 'max-findings', type: 'number', default: 10, description: 'findings listed in the terminal summary at most (all are in the reports)' },
      { name: 'service', type: 'string', description: "drive a running service instead of a target: fixture[:<mode>] (the bundled chat service, started here; modes in docs/service.md), an http(s) URL, or a module exporting defineService({ … }) (default for golden: the config's service)" },
      { name: 'shard', type: 'string', description: 'run shard i/N of a run spread over processes or machines (0 ≤ i < N): needs --run-id, --seed and IDGATE_REDIS_URL (+ IDGATE_CLICKHOUSE_URL); check with idgate verify (docs/scale.md)' },
      { name: 'run-id', type: 'string', description: 'the run every --shard of it writes under, the same for all shards: lower-case letters, digits, _' },
    ],
  };
}

/** The runner of `idgate <name>`: the product suites against a target through vitest's Node API. */
export function gateRunner(name: string): (flags: FlagValues, out: (line: string) => void) => Promise<number> {
  return (flags, out) => runGateCommand(name, flags, out);
}

/** Runs the product suites against a target through vitest's Node API; returns the exit code. */
export async function runGateCommand(command: string, flags: FlagValues, out: (line: string) => void): Promise<number> {
  const config = await loadConfig({ file: flags.config as string | undefined });
  const profileName = flags.profile as string;
  const overrides: Record<string, unknown> = { ...thresholdOverrides(config), ...(config?.config.profiles?.[profileName as ConfigProfileName] ?? {}) };
  if (flags.ids !== undefined) overrides.idsPerDomain = flags.ids;
  if (flags.users !== undefined) overrides.users = flags.users;
  const profile = resolveProfile(profileName, overrides);
  const targetText = (flags.target as string | undefined) ?? config?.config.target ?? 'reference';
  resolveTarget(targetText); // usage errors before anything starts
  const peerText = flags.peer as string | undefined;
  if (peerText !== undefined) resolveTarget(peerText);
  const seed = flags.seed === undefined ? randomBytes(4).readUInt32LE(0) >>> 1 : (flags.seed as number);
  if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 31 - 1) {
    throw new UsageError('IDGATE_BAD_SEED', `idgate ${profile.name}: --seed must be a whole number from 0 to 2147483647`, 'use the seed a previous run printed');
  }
  if (flags.shard !== undefined || flags['run-id'] !== undefined) {
    if (flags.shard === undefined) throw new UsageError('IDGATE_SHARD_RUN_ID', `idgate ${command}: --run-id names a sharded run, but --shard is missing`, `write --shard 0/3 --run-id ${String(flags['run-id'])} (and 1/3, 2/3 for the other shards)`);
    if (flags.seed === undefined) throw new UsageError('IDGATE_SHARD_SEED', `idgate ${command}: --shard needs --seed: every shard must draw the same users`, `write --seed ${seed} for every shard of the run`);
    return runShardCommand({ command, profile, targetText, seed, shard: flags.shard as string, runId: flags['run-id'] as string | undefined, stores: flags.stores as string | undefined }, out);
  }
  if (flags.service !== undefined || (command === 'golden' && flags.target === undefined && config?.config.service !== undefined)) return runServiceCommand(command, flags, seed, out, config);
  const baselineFile = (flags.baseline as string | undefined) ?? (config?.config.baseline === undefined ? undefined : config.resolvePath(config.config.baseline));
  const updateBaseline = flags['update-baseline'] === true;
  if (updateBaseline && baselineFile === undefined) {
    throw new UsageError('IDGATE_BASELINE', `idgate ${command}: --update-baseline needs --baseline <file>`, `write idgate ${command} --baseline idgate-baseline.json --update-baseline`);
  }
  const storesProvider = (flags.stores as string | undefined) ?? config?.config.stores ?? 'auto';
  if (!['auto', 'url', 'container', 'local'].includes(storesProvider)) {
    throw new UsageError('IDGATE_BAD_STORES', `idgate ${command}: --stores must be auto, url, container or local, got ${JSON.stringify(storesProvider)}`, 'write --stores local (or leave it out)');
  }
  const maxFindings = flags['max-findings'] as number;
  const quote = (t: string) => (/^[\w@%+=:,./-]+$/.test(t) ? t : `'${t.replace(/'/g, `'\\''`)}'`);
  const configArg = config === undefined ? '' : ` --config ${quote(relative(process.cwd(), config.file) || config.file)}`;
  const replay = `npx idgate ${command} --target ${quote(targetText)} --profile ${profile.name} --seed ${seed}${flags.ids === undefined ? '' : ` --ids ${String(flags.ids)}`}${flags.users === undefined ? '' : ` --users ${String(flags.users)}`}${peerText === undefined ? '' : ` --peer ${quote(peerText)}`}${configArg}`;
  const startedAt = new Date();
  const runId = `${startedAt.toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-${profile.name}-${seed}`;
  const outDir = resolve((flags.out as string | undefined) ?? join('reports', runId));
  out(redactText(`idgate ${command}: target ${targetText}, profile ${profile.name} (${profile.idsPerDomain} IDs per domain, ${profile.users} users, ledgers ${['memory', ...profile.ledgers.filter((l) => l !== 'memory')].join(', ')}), seed ${seed}${config === undefined ? '' : `, config ${relative(process.cwd(), config.file) || config.file}`}`));

  const needed = profile.ledgers.filter((l): l is StoreName => l !== 'memory');
  const stores = needed.length > 0 ? await startStores({ stores: needed, provider: storesProvider as StoreProviderName | 'auto', log: (l) => out(redactText(l)) }) : undefined;
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
        // The suites live in node_modules/idgate when idgate is installed as a package.
        exclude: [],
        globalSetup: [join(codeRoot, 'suites', `gate-setup${fromSources ? '.ts' : '.js'}`)],
        provide: {
          idgateGate: {
            target: targetText,
            peer: peerText,
            profile: profile.name,
            seed,
            overrides,
            replay,
            redisUrl: needed.includes('redis') ? stores?.endpoint('redis').url : undefined,
            clickhouseUrl: needed.includes('clickhouse') ? stores?.endpoint('clickhouse').url : undefined,
            outDir,
            command,
            runId: basename(outDir),
            startedAt: startedAt.toISOString(),
            ...(config === undefined ? {} : { configFile: config.file }),
            ...(baselineFile === undefined ? {} : { baseline: { file: resolve(baselineFile), update: updateBaseline } }),
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
    if (!existsSync(join(outDir, REPORT_FILES.json))) {
      out(`idgate ${command}: the run did not complete (see the errors above); no result was written`);
      return ExitCode.Infrastructure;
    }
    const report = await readRunReport(outDir, `idgate ${command}`);
    let code: number = report.exitCode;
    if (code === ExitCode.Pass && (failedTests > 0 || errors > 0)) code = ExitCode.Findings;
    for (const line of summaryLines(command, report, { code, failedTests, wallMs: performance.now() - t0, outDir, maxFindings })) out(redactText(line));
    return code;
  } finally {
    await stores?.stop();
  }
}

/** The configuration's thresholds as the profile fields the entropy check reads. */
function thresholdOverrides(config: LoadedConfig | undefined): Record<string, number> {
  const t = config?.config.thresholds;
  if (t === undefined) return {};
  const o: Record<string, number> = {};
  if (t.productionIdsPerDay !== undefined) o.entropyVolumePerDay = t.productionIdsPerDay;
  if (t.productionDays !== undefined) o.entropyDays = t.productionDays;
  if (t.maxCollisionProbability !== undefined) o.entropyThreshold = t.maxCollisionProbability;
  return o;
}

/**
 * The terminal summary of a run: verdict and counts, the first findings (domain, IDs, owners,
 * replay; new ones before known ones), the baseline outcome, the report files and the replay.
 */
function summaryLines(command: string, r: RunReport, o: { code: number; failedTests: number; wallMs: number; outDir: string; maxFindings: number }): string[] {
  const byKind = new Map<string, number>();
  for (const f of r.findings) byKind.set(f.kind, (byKind.get(f.kind) ?? 0) + 1);
  const known = new Set(r.baseline?.known ?? []);
  const isKnown = (f: RunReport['findings'][number]) => known.has(findingFingerprint(f)) && r.baseline?.new.includes(findingFingerprint(f)) !== true;
  const ordered = [...r.findings].sort((a, b) => Number(isKnown(a)) - Number(isKnown(b)));
  const lines = [''];
  lines.push(`idgate ${command}: ${o.code === ExitCode.Pass ? 'PASS' : 'FAIL'} in ${(o.wallMs / 1000).toFixed(1)} s — ${r.findings.length} finding(s)${byKind.size > 0 ? ` (${[...byKind].map(([k, n]) => `${k} ${n}`).join(', ')})` : ''}, ${o.failedTests} failed test(s)`);
  for (const f of ordered.slice(0, Math.max(0, o.maxFindings))) {
    lines.push(...formatFinding(f, { owners: (i) => r.owners[String(i)], replay: r.replay, maxItems: 3, ...(isKnown(f) ? { tag: 'known' } : {}) }).split('\n').map((l) => `  ${l}`));
  }
  if (ordered.length > o.maxFindings) lines.push(`  … and ${ordered.length - o.maxFindings} more finding(s) in the report`);
  const b = r.baseline;
  if (b !== undefined) {
    lines.push(`  baseline ${b.file}${b.updated ? ' (rewritten)' : ''}: ${b.new.length} new, ${b.known.length} known, ${b.fixed.length} fixed`);
    if (b.fixed.length > 0) lines.push(`    fixed (shrink the baseline with --update-baseline): ${b.fixed.join(', ')}`);
  }
  lines.push(`  report: ${join(o.outDir, REPORT_FILES.html)} (also ${REPORT_FILES.markdown}, ${REPORT_FILES.json}, ${REPORT_FILES.junit})`);
  lines.push(`  replay: ${r.replay}`);
  return lines;
}
