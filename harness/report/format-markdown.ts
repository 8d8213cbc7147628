import { findingFingerprint } from './finding-fingerprint.js';
import { formatCount, formatDuration } from './format-number.js';
import { redactSecrets } from './redact-secrets.js';
import type { RunReport } from './run-report.js';
import { serviceMarkdown } from './service-section.js';

/** Options of {@link formatMarkdown}. */
export interface MarkdownReportOptions {
  /** Findings listed at most; the rest are counted. Default: 10. */
  readonly maxFindings?: number;
  /** Hard cap on the text's length in characters (GitHub comments hold 65 536). Default: 60 000. */
  readonly maxChars?: number;
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

/**
 * The run as a Markdown summary sized for a pull-request comment: verdict, run facts, IDs per
 * domain and ledger, the first findings with IDs, owners and replay commands, and the baseline
 * outcome. Secrets are redacted; the text never exceeds `maxChars`.
 */
export function formatMarkdown(report: RunReport, options: MarkdownReportOptions = {}): string {
  const r = redactSecrets(report);
  const maxFindings = options.maxFindings ?? 10;
  const maxChars = options.maxChars ?? 60_000;
  const verdict = r.exitCode === 0 ? '✅ PASS' : r.exitCode === 3 ? '⚠️ INFRASTRUCTURE ERROR' : '❌ FAIL';
  const minted = r.domains.reduce((s, d) => s + d.minted, 0);
  const lines = [
    `### idgate ${r.command}: ${verdict}`,
    '',
    `Target ${code(r.target)}, profile **${r.profile}**, seed ${r.seed}, ${r.users} users: ${formatCount(minted)} IDs in ${r.domains.length} domains, ledgers ${r.ledgers.map((l) => l.ledger).join(', ') || '—'}, ${formatDuration(r.timings.wallMs)}.`,
    `**${r.findings.length} finding(s)**${r.baseline ? ` — ${r.baseline.new.length} new, ${r.baseline.known.length} known (accepted by ${code(r.baseline.file)}), ${r.baseline.fixed.length} fixed` : ''}. Exit code ${r.exitCode}.`,
    '',
  ];
  if (r.domains.length > 0) {
    lines.push(`| domain | minted | ${r.ledgers.map((l) => `${l.ledger} stored`).join(' | ')} |`, `|---|---:|${r.ledgers.map(() => '---:|').join('')}`);
    for (const d of r.domains) lines.push(`| ${cell(d.domain)} | ${d.minted} | ${r.ledgers.map((l) => String(l.domains.find((x) => x.domain === d.domain)?.stored ?? '—')).join(' | ')} |`);
    lines.push('');
  }
  if (r.service !== undefined) lines.push(...serviceMarkdown(r.service), '');
  if (r.flow !== undefined) {
    const f = r.flow;
    lines.push(
      '#### Golden path flow',
      '',
      `${f.users} users interleaved by fast-check's scheduler: ${f.steps} steps, ${formatCount(f.idsMinted)} IDs, ${f.restarts} target restart(s); first execution ${formatDuration(f.firstMs)} (**${Math.round(f.usersPerSecond)} users/s**), ${f.executions} execution(s) in ${formatDuration(f.wallMs)}.`,
    );
    if (f.counterexample !== undefined) lines.push('', `Smallest failing interleaving: ${f.counterexample.users.length} user(s), seed ${f.counterexample.seed}, path ${code(f.counterexample.path)}.`);
    for (const k of f.skipped) lines.push('', `_Not checked: ${cell(k)}_`);
    lines.push('');
  }
  const known = new Set(r.baseline?.known ?? []);
  const ordered = [...r.findings].sort((a, b) => Number(known.has(findingFingerprint(a))) - Number(known.has(findingFingerprint(b))));
  if (ordered.length > 0) lines.push('#### Findings', '');
  for (const f of ordered.slice(0, maxFindings)) {
    const tag = known.has(findingFingerprint(f)) ? ' _(known)_' : '';
    lines.push(`- **${f.kind}${f.rule === undefined ? '' : `/${f.rule}`}**${f.domain === undefined ? '' : ` · ${f.domain}`}${tag}: ${cell(f.message)}`);
    if (f.ids.length > 0) lines.push(`  IDs: ${f.ids.slice(0, 3).map(code).join(', ')}${f.ids.length > 3 ? ', …' : ''}`);
    if (f.owners.length > 0) lines.push(`  owners: ${f.owners.slice(0, 3).map((o) => `${o} (${r.owners[String(o)] ?? '?'})`).join(', ')}${f.owners.length > 3 ? ', …' : ''}`);
    lines.push(`  replay: ${code(f.replay?.command ?? r.replay)}`);
  }
  if (ordered.length > maxFindings) lines.push(`- … and ${ordered.length - maxFindings} more (see the HTML report or result.json)`);
  if (r.baseline !== undefined && r.baseline.fixed.length > 0) lines.push('', `Fixed since the baseline (remove with \`--update-baseline\`): ${r.baseline.fixed.map(code).join(', ')}`);
  lines.push('', `Replay: ${code(r.replay)}`);
  let text = `${lines.join('\n')}\n`;
  if (text.length > maxChars) text = `${text.slice(0, maxChars - 80)}\n\n… (cut to fit a comment; see the HTML report)\n`;
  return text;
}
