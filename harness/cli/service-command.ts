import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createJiti } from 'jiti';
import { CHAT_SERVICE_MODES, chatServiceSpec, isChatServiceMode, startChatService, type ChatServiceMode } from '../../fixtures/service/index.js';
import { ExitCode, UsageError } from '../model/index.js';
import { formatFinding, redactText } from '../report/index.js';
import { runServiceGolden } from '../service/index.js';
import { startStores, type StoreProviderName } from '../stores/index.js';
import { defineService, validateServiceSpec, type ServiceSpec } from '../targets/index.js';
import type { FlagValues } from './flags.js';

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

/**
 * `idgate golden --service <fixture[:defective] | url | file>`: the golden path against a running
 * service — concurrent users over HTTP and WebSocket, their IDs checked, events and cleanup
 * judged — with a terminal summary (findings, users per second, path p50/p95/p99). `fixture`
 * starts the bundled chat service on a free loopback port with its own Redis and stops both.
 */
export async function runServiceCommand(command: string, flags: FlagValues, seed: number, out: (line: string) => void): Promise<number> {
  const source = await resolveService(command, flags.service as string);
  const users = (flags.users as number | undefined) ?? 500;
  if (!Number.isInteger(users) || users < 1) throw new UsageError('IDGATE_BAD_USERS', `idgate ${command}: --users must be a whole number ≥ 1`, 'write --users 500');
  const replay = `npx idgate ${command} --service ${flags.service as string} --users ${users} --seed ${seed}`;
  const stores = source.kind === 'fixture' ? await startStores({ stores: ['redis'], provider: ((flags.stores as string | undefined) ?? 'auto') as StoreProviderName | 'auto', log: (l) => out(redactText(l)) }) : undefined;
  try {
    const service = source.kind === 'fixture' && stores !== undefined ? await startChatService({ redisUrl: stores.endpoint('redis').url, mode: source.mode }) : undefined;
    try {
      const spec = source.kind === 'spec' ? source.spec : chatServiceSpec(service!, stores!.endpoint('redis').url);
      out(redactText(`idgate ${command}: service ${spec.url}${source.kind === 'fixture' ? ` (fixture, ${source.mode})` : ''}, ${users} concurrent users, seed ${seed}`));
      const r = await runServiceGolden({ spec, users, seed, replay });
      const byKind = new Map<string, number>();
      for (const f of r.findings) byKind.set(f.kind, (byKind.get(f.kind) ?? 0) + 1);
      const ms = (v: number) => (Number.isNaN(v) ? '–' : `${Math.round(v)} ms`);
      out('');
      out(`idgate ${command}: ${r.exitCode === ExitCode.Pass ? 'PASS' : 'FAIL'} in ${(r.wallMs / 1000).toFixed(1)} s — ${r.findings.length} finding(s)${byKind.size > 0 ? ` (${[...byKind].map(([k, n]) => `${k} ${n}`).join(', ')})` : ''}`);
      out(`  ${r.completed}/${r.users.length} users through the path, ${Math.round(r.users.length / (r.wallMs / 1000))} users/s; path p50 ${ms(r.latency.p50)}, p95 ${ms(r.latency.p95)}, p99 ${ms(r.latency.p99)}; ${r.events} events received`);
      for (const s of r.skipped) out(`  not checked: ${s}`);
      const max = (flags['max-findings'] as number | undefined) ?? 10;
      for (const f of r.findings.slice(0, max)) out(redactText(formatFinding(f, { owners: (i) => r.users[i], maxItems: 3 }).split('\n').map((l) => `  ${l}`).join('\n')));
      if (r.findings.length > max) out(`  … and ${r.findings.length - max} more finding(s)`);
      out(`  replay: ${replay}`);
      return r.exitCode;
    } finally {
      await service?.stop();
    }
  } finally {
    await stores?.stop();
  }
}
