import type { AuditReport } from './audit-report.js';

/** The report as JSON: summary counts, then new, known and fixed findings. Stable key order. */
export function formatJson(report: AuditReport): string {
  const { result, comparison } = report;
  return JSON.stringify(
    {
      tool: 'idgate audit',
      root: result.root,
      files: result.files,
      allowed: result.allowed,
      elapsedMs: Math.round(result.elapsedMs),
      summary: { new: comparison.added.length, known: comparison.known.length, fixed: comparison.fixed.length },
      new: comparison.added,
      known: comparison.known,
      fixed: comparison.fixed,
      skipped: result.skipped,
    },
    null,
    2,
  );
}
