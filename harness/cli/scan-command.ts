import { join, resolve } from 'node:path';
import { ExitCode, exitCodeFor, UsageError } from '../model/index.js';
import { formatFinding, redactText, REPORT_FILES, RUN_REPORT_SCHEMA_VERSION, writeReports, type RunReport } from '../report/index.js';
import { parseOwnerSource, scanClickHouse, scanRedis, ScanProgressPrinter, type ScanResult } from '../scan/index.js';
import { redactUrl } from '../stores/index.js';
import type { CommandSpec, FlagValues } from './flags.js';
import { idgateVersion } from './idgate-version.js';

const REDIS_FLAGS = ['match', 'owner-from', 'rate', 'count'];
const CLICKHOUSE_FLAGS = ['table', 'id-column', 'owner-column', 'allow-repeats', 'max-memory'];

/** `idgate scan redis|clickhouse`: the checks over data already in a store, read-only. */
export const scanCommand: CommandSpec = {
  name: 'scan',
  summary: 'check IDs already in a Redis or ClickHouse, read-only: duplicates, multi-owner IDs, malformed IDs, shared user tags',
  positionals: [{ name: 'store', description: 'redis or clickhouse', required: true }],
  flags: [
    { name: 'url', type: 'string', description: 'the server, required: redis://<user>:<password>@host:port (any node of a cluster) or http://<user>:<password>@host:8123' },
    { name: 'domain', type: 'string', description: 'check only IDs of this domain (ClickHouse: every ID in --id-column is of it); default: each ID by its prefix' },
    { name: 'match', type: 'string', description: "redis: SCAN's MATCH glob, required, e.g. 'session:*'" },
    { name: 'owner-from', type: 'string', description: 'redis: where a key\'s owner is: key:<part index> (split on ":"), field:<hash field> or json:<path>' },
    { name: 'rate', type: 'number', description: 'redis: keys per second at most, over all masters; 0: no cap (default: 20000)' },
    { name: 'count', type: 'number', description: "redis: SCAN's COUNT, 1-10000 (default: 1000)" },
    { name: 'table', type: 'string', description: 'clickhouse: <database>.<table>, required' },
    { name: 'id-column', type: 'string', description: 'clickhouse: the column holding IDs, required' },
    { name: 'owner-column', type: 'string', description: 'clickhouse: the column holding the owner (user), required' },
    { name: 'allow-repeats', type: 'boolean', description: 'clickhouse: an ID may fill many rows (an event table): no duplicate check' },
    { name: 'max-memory', type: 'number', description: 'clickhouse: max_memory_usage per query in bytes; GROUP BY spills to disk at half (default: 2147483648)' },
    { name: 'out', type: 'string', description: 'report folder: result.json, summary.md, report.html (default: reports/<run id>)' },
    { name: 'max-findings', type: 'number', default: 10, description: 'findings listed in the terminal at most (all are in the report)' },
  ],
};

/** Runs `idgate scan`; resolves to 0 (no findings), 1 (findings), 2 (usage) or 3 (a store failed). */
export async function runScan(flags: FlagValues, out: (line: string) => void): Promise<number> {
  const store = flags.store as string;
  if (store !== 'redis' && store !== 'clickhouse') {
    throw new UsageError('IDGATE_SCAN_STORE', `idgate scan: unknown store ${JSON.stringify(store)}`, 'write idgate scan redis … or idgate scan clickhouse …');
  }
  const command = `idgate scan ${store}`;
  const url = flags.url as string | undefined;
  if (url === undefined || url === '') {
    throw new UsageError('IDGATE_SCAN_URL', `${command}: --url is required; a scan never picks a server by itself`, `name the server: --url ${store === 'redis' ? 'redis://<user>:<password>@<host>:6379' : 'http://<user>:<password>@<host>:8123'}`);
  }
  const foreign = (store === 'redis' ? CLICKHOUSE_FLAGS : REDIS_FLAGS).find((f) => flags[f] !== undefined);
  if (foreign !== undefined) throw new UsageError('IDGATE_SCAN_FLAG', `${command}: --${foreign} belongs to idgate scan ${store === 'redis' ? 'clickhouse' : 'redis'}`, `leave --${foreign} out; run ${command} --help for its flags`);
  const domain = flags.domain as string | undefined;
  const startedAt = new Date();
  const runId = `${startedAt.toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-scan-${store}`;
  const outDir = resolve((flags.out as string | undefined) ?? join('reports', runId));
  const tty = process.stderr.isTTY === true;
  const printer = new ScanProgressPrinter({ tty, write: tty ? (l) => process.stderr.write(l) : out });
  const onProgress = printer.update.bind(printer);
  out(`${command}: ${redactUrl(url)}, read-only${domain === undefined ? '' : `, domain ${domain}`}`);
  if (store === 'redis' && new URL(url).username === '') out(`${command}: connected as the default user; the scan sends only read commands, but run it as a user without write permissions (docs/scan.md)`);

  let result: ScanResult;
  try {
    if (store === 'redis') {
      const ownerFrom = flags['owner-from'] as string | undefined;
      result = await scanRedis({
        url,
        match: flags.match as string,
        ...(ownerFrom === undefined ? {} : { ownerFrom: parseOwnerSource(ownerFrom) }),
        ...(domain === undefined ? {} : { domains: [domain] }),
        ...(flags.rate === undefined ? {} : { rate: flags.rate as number }),
        ...(flags.count === undefined ? {} : { count: flags.count as number }),
        onProgress,
      });
    } else {
      for (const f of ['table', 'id-column', 'owner-column']) {
        if (flags[f] === undefined) throw new UsageError('IDGATE_SCAN_FLAG', `${command}: --${f} is required`, `write ${command} --url … --table <db.table> --id-column <column> --owner-column <column>`);
      }
      result = await scanClickHouse({
        url,
        table: flags.table as string,
        idColumn: flags['id-column'] as string,
        ownerColumn: flags['owner-column'] as string,
        ...(domain === undefined ? {} : { domain }),
        allowRepeats: flags['allow-repeats'] === true,
        ...(flags['max-memory'] === undefined ? {} : { maxMemoryUsage: flags['max-memory'] as number }),
        onProgress,
      });
    }
  } finally {
    printer.stop();
  }

  const replay = redactText(scanReplay(store, flags));
  const owners: Record<string, string> = {};
  for (const f of result.findings) for (const i of f.owners) owners[String(i)] = result.users[i] ?? '?';
  const code = exitCodeFor(result.findings);
  const report: RunReport = {
    schemaVersion: RUN_REPORT_SCHEMA_VERSION,
    idgateVersion: idgateVersion(),
    runId,
    command: `scan ${store}`,
    target: redactUrl(url),
    profile: 'scan',
    seed: 0,
    users: result.users.length,
    startedAt: startedAt.toISOString(),
    replay,
    exitCode: code,
    thresholds: {},
    domains: [],
    ledgers: [],
    checked: { scan: result.domains },
    timings: { wallMs: Math.round(result.wallMs), workloadMs: 0, ledgerMs: { [store]: Math.round(result.wallMs) } },
    series: [],
    entropy: [],
    findings: result.findings,
    owners,
  };
  await writeReports(outDir, report);

  const byKind = new Map<string, number>();
  for (const f of result.findings) byKind.set(f.kind, (byKind.get(f.kind) ?? 0) + 1);
  const read = store === 'redis' ? `${result.stats.keys ?? 0} keys on ${result.stats.masters ?? 0} server(s)` : `${result.stats.rows ?? 0} rows`;
  const lines = [`${command}: ${code === ExitCode.Pass ? 'PASS' : 'FAIL'} in ${(result.wallMs / 1000).toFixed(1)} s — ${read}, ${result.findings.length} finding(s)${byKind.size > 0 ? ` (${[...byKind].map(([k, n]) => `${k} ${n}`).join(', ')})` : ''}`];
  const max = flags['max-findings'] as number;
  for (const f of result.findings.slice(0, Math.max(0, max))) lines.push(...formatFinding(f, { owners: (i) => result.users[i], replay, maxItems: 3 }).split('\n').map((l) => `  ${l}`));
  if (result.findings.length > max) lines.push(`  … and ${result.findings.length - max} more finding(s) in the report`);
  if ((result.stats.truncatedKeys ?? 0) > 0) lines.push(`  note: ${result.stats.truncatedKeys} key(s) held more elements than were read`);
  if ((result.stats.keysWithoutOwner ?? 0) > 0 && flags['owner-from'] !== undefined) lines.push(`  note: ${result.stats.keysWithoutOwner} key(s) had no owner at --owner-from ${String(flags['owner-from'])}`);
  lines.push(`  report: ${join(outDir, REPORT_FILES.html)} (also ${REPORT_FILES.markdown}, ${REPORT_FILES.json})`);
  for (const l of lines) out(redactText(l));
  return code;
}

/** The command line that runs the same scan again, URL credentials redacted. */
function scanReplay(store: string, flags: FlagValues): string {
  const quote = (t: string) => (/^[\w@%+=:,./-]+$/.test(t) ? t : `'${t.replace(/'/g, `'\\''`)}'`);
  const parts = ['npx idgate scan', store, '--url', quote(redactUrl(flags.url as string))];
  for (const name of ['domain', ...REDIS_FLAGS, ...CLICKHOUSE_FLAGS]) {
    const v = flags[name];
    if (v === undefined || v === false) continue;
    parts.push(`--${name}`);
    if (v !== true) parts.push(quote(String(v)));
  }
  return parts.join(' ');
}
