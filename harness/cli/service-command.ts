import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { createJiti } from 'jiti';
import { CHAT_SERVICE_MODES, chatServiceSpec, isChatServiceMode, startChatService, type ChatServiceMode } from '../../fixtures/service/index.js';
import { ExitCode, UsageError } from '../model/index.js';
import type { LoadedConfig } from '../config/index.js';
import { formatFinding, redactSecrets, redactText, REPORT_FILES, writeReports } from '../report/index.js';
import { formatServiceJunit, parseServiceThresholds, runServiceGolden, serviceRunReport, type ServiceThresholds } from '../service/index.js';
import { startStores, type StoreProviderName } from '../stores/index.js';
import { defineService, validateServiceSpec, type ServiceSpec, type ServiceTimeouts } from '../targets/index.js';
import type { FlagValues } from './flags.js';
import { idgateVersion } from './idgate-version.js';

/** What `--service` names: the bundled fixture (started here), a URL, or a spec module. */
type ServiceSource = { readonly kind: 'fixture'; readonly mode: ChatServiceMode } | { readonly kind: 'spec'; readonly spec: ServiceSpec };

async function resolveService(command: string, text: string): Promise<ServiceSource> {
  const fixture = /^fixture(?::(.*))?$/.exec(text);
  if (fixture !== null) {
    const mode = fixture[1] ?? 'correct';
    if (!isChatServiceMode(mode)) {
      throw new UsageError('IDGATE_SERVICE', `idgate ${command}: --service ${JSON.stringify(text)} names no mode of the fixture service`, `write --service fixture:<mode>, one of ${Object.keys(CHAT_SERVICE_MODES).join(', ')}`);
    }
    return { kind: 'fixture', mode };
  }
  if (/^https?:\/\//.test(text)) return { kind: 'spec', spec: validateServiceSpec(defineService({ url: text }), `idgate ${command} --service`) };
  const file = resolve(text);
  if (!existsSync(file)) {
    throw new UsageError('IDGATE_SERVICE', `idgate ${command}: --service ${JSON.stringify(text)} is neither fixture[:<mode>], an http(s) URL nor an existing file`, 'write --service http://127.0.0.1:8080, --service fixture, or a module exporting defineService({ … })');
  }
  let exported: unknown;
  try {
    exported = await createJiti(import.meta.url, { moduleCache: false, fsCache: false }).import(file, { default: true });
  } catch (e) {
    throw new UsageError('IDGATE_SERVICE', `idgate ${command}: --service ${text} cannot be loaded: ${e instanceof Error ? e.message.split('\n')[0]! : String(e)}`, 'fix the module; its default export is defineService({ url, … })');
  }
  const spec = exported as Partial<ServiceSpec> | undefined;
  if (typeof spec?.url !== 'string') {
    throw new UsageError('IDGATE_SERVICE', `idgate ${command}: --service ${text} does not export a service spec`, "write export default { url: 'http://127.0.0.1:8080', … } (see docs/service.md)");
  }
  return { kind: 'spec', spec: validateServiceSpec(defineService({ ...spec, url: spec.url }), `idgate ${command} --service`) };
}

/** Where the service comes from: `--service` wins over the configuration's `service`. */
function serviceSettings(command: string, flags: FlagValues, config: LoadedConfig | undefined): { text: string; users: number; thresholds?: ServiceThresholds; timeouts?: ServiceTimeouts; rampMs?: number } {
  const c = config?.config.service;
  const fromConfig = typeof c === 'string' ? { spec: c } : c;
  const flag = flags.service as string | undefined;
  let text = flag ?? fromConfig?.spec;
  if (text === undefined) throw new UsageError('IDGATE_SERVICE', `idgate ${command}: no service to drive`, "pass --service fixture (or a URL or module), or set service: { spec: … } in idgate.config.ts");
  // A module path in the configuration is relative to the configuration file.
  if (flag === undefined && config !== undefined && !/^fixture(:|$)/.test(text) && !/^https?:\/\//.test(text)) text = config.resolvePath(text);
  const users = (flags.users as number | undefined) ?? fromConfig?.users ?? 500;
  if (!Number.isInteger(users) || users < 1) throw new UsageError('IDGATE_BAD_USERS', `idgate ${command}: --users must be a whole number ≥ 1`, 'write --users 500');
  return { text, users, ...(fromConfig?.thresholds === undefined ? {} : { thresholds: fromConfig.thresholds }), ...(fromConfig?.timeouts === undefined ? {} : { timeouts: fromConfig.timeouts }), ...(fromConfig?.rampMs === undefined ? {} : { rampMs: fromConfig.rampMs }) };
}

/**
 * `idgate golden --service <fixture[:mode] | url | file>` (or the configuration's `service`): the
 * golden path against a running service — concurrent users over HTTP and WebSocket, their IDs
 * checked, events and cleanup judged, k6-style thresholds held — with a terminal summary
 * (findings, users per second, path p50/p95/p99) and the reports `idgate gate` writes
 * (result.json, summary.md, report.html, junit.xml) in `--out` or reports/<run id>. `fixture`
 * starts the bundled chat service on a free loopback port with its own Redis and stops both.
 */
export async function runServiceCommand(command: string, flags: FlagValues, seed: number, out: (line: string) => void, config?: LoadedConfig): Promise<number> {
  const settings = serviceSettings(command, flags, config);
  const { users } = settings;
  const source = await resolveService(command, settings.text);
  // Thresholds that do not parse are usage errors before any traffic (the configuration's are checked on load too).
  parseServiceThresholds(settings.thresholds, 'service.thresholds', `idgate ${command}`);
  const quote = (t: string) => (/^[\w@%+=:,./-]+$/.test(t) ? t : `'${t.replace(/'/g, `'\\''`)}'`);
  const configArg = config === undefined ? '' : ` --config ${quote(relative(process.cwd(), config.file) || config.file)}`;
  const replay = `npx idgate ${command} --service ${quote((flags.service as string | undefined) ?? settings.text)} --users ${users} --seed ${seed}${configArg}`;
  const startedAt = new Date();
  const runId = `${startedAt.toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-${command}-service-${seed}`;
  const outDir = resolve((flags.out as string | undefined) ?? join('reports', runId));
  const stores = source.kind === 'fixture' ? await startStores({ stores: ['redis'], provider: ((flags.stores as string | undefined) ?? config?.config.stores ?? 'auto') as StoreProviderName | 'auto', log: (l) => out(redactText(l)) }) : undefined;
  try {
    const service = source.kind === 'fixture' && stores !== undefined ? await startChatService({ redisUrl: stores.endpoint('redis').url, mode: source.mode, inChildProcess: true }) : undefined;
    try {
      let spec = source.kind === 'spec' ? source.spec : chatServiceSpec(service!, stores!.endpoint('redis').url);
      if (settings.timeouts !== undefined) spec = validateServiceSpec({ ...spec, timeouts: { ...spec.timeouts, ...settings.timeouts } }, `idgate ${command}`);
      if (settings.rampMs !== undefined) spec = validateServiceSpec({ ...spec, rampMs: settings.rampMs }, `idgate ${command}`);
      out(redactText(`idgate ${command}: service ${spec.url}${source.kind === 'fixture' ? ` (fixture, ${source.mode})` : ''}, ${users} concurrent users, seed ${seed}${config === undefined ? '' : `, config ${relative(process.cwd(), config.file) || config.file}`}`));
      const r = await runServiceGolden({ spec, users, seed, replay, ...(settings.thresholds === undefined ? {} : { thresholds: settings.thresholds }) });
      const report = serviceRunReport(r, {
        command,
        runId: basename(outDir),
        startedAt: startedAt.toISOString(),
        seed,
        replay,
        idgateVersion: idgateVersion(),
        url: spec.url,
        ...(source.kind === 'fixture' ? { fixtureMode: source.mode } : {}),
        ...(config === undefined ? {} : { configFile: config.file }),
      });
      await writeReports(outDir, report);
      await writeFile(join(outDir, REPORT_FILES.junit), formatServiceJunit(redactSecrets(report)));
      const byKind = new Map<string, number>();
      for (const f of r.findings) byKind.set(f.kind, (byKind.get(f.kind) ?? 0) + 1);
      const ms = (v: number) => (Number.isNaN(v) ? '–' : `${Math.round(v)} ms`);
      out('');
      out(`idgate ${command}: ${r.exitCode === ExitCode.Pass ? 'PASS' : 'FAIL'} in ${(r.wallMs / 1000).toFixed(1)} s — ${r.findings.length} finding(s)${byKind.size > 0 ? ` (${[...byKind].map(([k, n]) => `${k} ${n}`).join(', ')})` : ''}`);
      out(`  ${r.completed}/${r.users.length} users through the path, ${Math.round(r.usersPerSecond)} users/s; path p50 ${ms(r.latency.p50)}, p95 ${ms(r.latency.p95)}, p99 ${ms(r.latency.p99)}; ${r.events} events received`);
      out(`  steps p95: ${Object.entries(r.steps).map(([k, v]) => `${k} ${ms(v.p95)}`).join(', ') || '–'}`);
      for (const t of r.thresholds) out(`  threshold ${t.metric}: ${t.expression} ${t.ok ? 'ok' : 'FAILED'} (measured ${Number.isNaN(t.measured) ? 'no sample' : Math.round(t.measured * 1000) / 1000})`);
      for (const s of r.skipped) out(`  not checked: ${s}`);
      const max = (flags['max-findings'] as number | undefined) ?? 10;
      for (const f of r.findings.slice(0, max)) out(redactText(formatFinding(f, { owners: (i) => r.users[i], maxItems: 3 }).split('\n').map((l) => `  ${l}`).join('\n')));
      if (r.findings.length > max) out(`  … and ${r.findings.length - max} more finding(s) in the report`);
      out(`  report: ${join(outDir, REPORT_FILES.html)} (also ${REPORT_FILES.markdown}, ${REPORT_FILES.json}, ${REPORT_FILES.junit})`);
      out(`  replay: ${replay}`);
      return r.exitCode;
    } finally {
      await service?.stop();
    }
  } finally {
    await stores?.stop();
  }
}
