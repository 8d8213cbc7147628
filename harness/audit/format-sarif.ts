import { pathToFileURL } from 'node:url';
import type { AuditHit } from './audit-hit.js';
import type { AuditReport } from './audit-report.js';
import { AUDIT_RULE_IDS, AUDIT_RULES } from './audit-rule.js';

/** Options of {@link formatSarif}. */
export interface SarifOptions {
  /** The tool version written to `tool.driver.version`. Default: `0.1.0`. */
  readonly version?: string;
}

/**
 * The report as SARIF 2.1.0 for code-scanning UIs: one run, every rule in `tool.driver.rules`,
 * one result per finding with its location relative to `%SRCROOT%`, the baseline fingerprint in
 * `partialFingerprints`, and `baselineState` new/unchanged; fixed findings are `absent` results
 * of kind `pass`.
 */
export function formatSarif(report: AuditReport, options: SarifOptions = {}): string {
  const { result, comparison } = report;
  const ruleIndex = new Map(AUDIT_RULE_IDS.map((id, i) => [id, i]));
  const hasBaseline = report.baselinePath !== undefined;
  const toResult = (h: AuditHit, state: 'new' | 'unchanged') => ({
    ruleId: h.rule,
    ruleIndex: ruleIndex.get(h.rule),
    level: 'error',
    message: { text: `${h.call} mints an ID outside the SSOT module. Instead: ${h.hint}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: encodeURI(h.file), uriBaseId: 'SRCROOT' },
          region: { startLine: h.line, startColumn: h.column, endLine: h.endLine, endColumn: h.endColumn, snippet: { text: h.call } },
        },
      },
    ],
    partialFingerprints: { 'idgateAudit/v1': h.fingerprint },
    ...(hasBaseline ? { baselineState: state } : {}),
  });
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'idgate-audit',
            version: options.version ?? '0.1.0',
            rules: AUDIT_RULE_IDS.map((id) => ({
              id,
              name: id.replace(/[/-](\w)/g, (_, c: string) => c.toUpperCase()),
              shortDescription: { text: AUDIT_RULES[id].summary },
              fullDescription: { text: AUDIT_RULES[id].description },
              help: { text: `Instead: ${AUDIT_RULES[id].hint}` },
              defaultConfiguration: { level: 'error' },
              properties: { language: AUDIT_RULES[id].language },
            })),
          },
        },
        originalUriBaseIds: { SRCROOT: { uri: `${pathToFileURL(result.root).href}/` } },
        columnKind: 'utf16CodeUnits',
        results: [
          ...comparison.added.map((h) => toResult(h, 'new')),
          ...comparison.known.map((h) => toResult(h, 'unchanged')),
          ...comparison.fixed.map((e) => ({
            ruleId: e.rule,
            ruleIndex: ruleIndex.get(e.rule),
            kind: 'pass',
            level: 'none',
            message: { text: `fixed: ${e.call} no longer found; shrink the baseline with --update-baseline` },
            locations: [{ physicalLocation: { artifactLocation: { uri: encodeURI(e.file), uriBaseId: 'SRCROOT' } } }],
            partialFingerprints: { 'idgateAudit/v1': e.fingerprint },
            baselineState: 'absent',
          })),
        ],
      },
    ],
  };
  return JSON.stringify(sarif, null, 2);
}
