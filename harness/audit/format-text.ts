import type { AuditReport } from './audit-report.js';

/**
 * The report for people: one line per finding (`file:line:col  rule  call`) with the SSOT call
 * to use instead, grouped into new / known / fixed, then a summary line.
 */
export function formatText(report: AuditReport): string {
  const { result, comparison } = report;
  const lines: string[] = [];
  const hitLine = (tag: string, h: (typeof comparison.added)[number]) => {
    lines.push(`${h.file}:${h.line}:${h.column}  ${tag}${h.rule}  ${h.call}`);
    lines.push(`    → ${h.hint}`);
  };
  for (const h of comparison.added) hitLine(report.baselinePath === undefined ? '' : 'NEW ', h);
  for (const h of comparison.known) hitLine('known ', h);
  for (const e of comparison.fixed) lines.push(`${e.file}  fixed ${e.rule}  ${e.call}  (remove it from the baseline with --update-baseline)`);
  for (const s of result.skipped) lines.push(`${s.file}  ${s.error ? 'ERROR' : 'skipped'}: ${s.reason}`);
  const rate = result.elapsedMs > 0 ? Math.round((result.files / result.elapsedMs) * 1000) : result.files;
  lines.push(
    `audit: ${result.files} files (${result.allowed.length} allowed SSOT) in ${(result.elapsedMs / 1000).toFixed(2)} s (${rate} files/s): ` +
      `${comparison.added.length} new, ${comparison.known.length} known, ${comparison.fixed.length} fixed`,
  );
  return lines.join('\n');
}
