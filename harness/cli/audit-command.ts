import { writeFile } from 'node:fs/promises';
import {
  AUDIT_RULE_IDS,
  auditTree,
  baselineOf,
  compareBaseline,
  formatJson,
  formatSarif,
  formatText,
  isAuditRuleId,
  readBaseline,
  writeBaseline,
  type AuditReport,
  type AuditRuleId,
} from '../audit/index.js';
import { ExitCode, UsageError } from '../model/index.js';
import type { CommandSpec, FlagValues } from './flags.js';

const FORMATS = ['text', 'json', 'sarif'] as const;

/** `idgate audit`: the static SSOT audit of a source tree. */
export const auditCommand: CommandSpec = {
  name: 'audit',
  summary: 'find code that mints IDs outside the single generator (Python and TS/JS), with a baseline ratchet',
  positionals: [{ name: 'path', description: 'the directory or file to audit', required: true }],
  flags: [
    { name: 'allow', type: 'string', multiple: true, description: 'glob (relative to <path>) of an allowed SSOT module, e.g. "src/ids/**"' },
    { name: 'exclude', type: 'string', multiple: true, description: 'glob of files to leave out' },
    { name: 'all-dirs', type: 'boolean', description: 'also enter node_modules, .venv, .git and other vendored directories' },
    { name: 'baseline', type: 'string', description: 'baseline file: known findings pass, new ones fail, fixed ones are listed' },
    { name: 'update-baseline', type: 'boolean', description: 'write the current findings to --baseline and pass' },
    { name: 'format', type: 'string', default: 'text', description: 'text, json or sarif (SARIF 2.1.0)' },
    { name: 'out', type: 'string', description: 'write the report to this file instead of standard output' },
    { name: 'hint', type: 'string', multiple: true, description: 'the SSOT call to suggest: "text" for every rule or "rule=text" for one' },
    { name: 'jobs', type: 'number', description: 'worker threads (0: none); default: the cores, at most 4, for 400+ files' },
  ],
};

/** Runs `idgate audit`; resolves to 0 (no new findings), 1 (new findings), 2 or 3. */
export async function runAudit(flags: FlagValues, out: (line: string) => void): Promise<number> {
  const format = flags.format as string;
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError('IDGATE_AUDIT_FORMAT', `idgate audit: unknown --format ${JSON.stringify(format)}`, `use one of ${FORMATS.join(', ')}`);
  }
  const baselinePath = flags.baseline as string | undefined;
  const update = flags['update-baseline'] === true;
  if (update && baselinePath === undefined) {
    throw new UsageError('IDGATE_AUDIT_BASELINE', 'idgate audit: --update-baseline needs --baseline <file>', 'write --baseline audit-baseline.json --update-baseline');
  }
  const result = await auditTree(flags.path as string, {
    allow: flags.allow as readonly string[],
    exclude: flags.exclude as readonly string[],
    ...(flags['all-dirs'] === true ? { skipDirs: [] } : {}),
    hints: parseHints(flags.hint as readonly string[]),
    ...(flags.jobs === undefined ? {} : { jobs: flags.jobs as number }),
  });
  const baseline = baselinePath === undefined || update ? { version: 1 as const, entries: [] } : await readBaseline(baselinePath);
  const comparison = compareBaseline(result.hits, baseline);
  const report: AuditReport = { result, comparison, ...(baselinePath === undefined || update ? {} : { baselinePath }) };
  const text = format === 'sarif' ? formatSarif(report) : format === 'json' ? formatJson(report) : formatText(report);
  const outPath = flags.out as string | undefined;
  if (outPath === undefined) out(text);
  else {
    await writeFile(outPath, `${text}\n`);
    out(`idgate audit: ${result.files} files, ${comparison.added.length} new, ${comparison.known.length} known, ${comparison.fixed.length} fixed; report written to ${outPath}`);
  }
  if (update && baselinePath !== undefined) {
    await writeBaseline(baselinePath, baselineOf(result.hits));
    out(`idgate audit: baseline ${baselinePath} now holds ${result.hits.length} findings`);
    return ExitCode.Pass;
  }
  if (result.skipped.some((s) => s.error)) return ExitCode.Infrastructure;
  return comparison.added.length > 0 ? ExitCode.Findings : ExitCode.Pass;
}

function parseHints(raw: readonly string[]): Partial<Record<AuditRuleId, string>> {
  const hints: Partial<Record<AuditRuleId, string>> = {};
  for (const h of raw) {
    const eq = h.indexOf('=');
    const rule = eq > 0 ? h.slice(0, eq) : '';
    if (eq > 0 && rule.includes('/')) {
      if (!isAuditRuleId(rule)) throw new UsageError('IDGATE_AUDIT_RULE', `idgate audit: --hint names unknown rule ${JSON.stringify(rule)}`, `use one of ${AUDIT_RULE_IDS.join(', ')}, or give the hint without a rule`);
      hints[rule] = h.slice(eq + 1);
    } else for (const id of AUDIT_RULE_IDS) hints[id] = h;
  }
  // A rule-specific hint wins over a general one whatever their order.
  for (const h of raw) {
    const eq = h.indexOf('=');
    const rule = h.slice(0, Math.max(eq, 0));
    if (eq > 0 && isAuditRuleId(rule)) hints[rule] = h.slice(eq + 1);
  }
  return hints;
}
