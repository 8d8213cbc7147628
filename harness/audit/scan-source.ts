import { auditFingerprint, normalizeCall } from './audit-fingerprint.js';
import type { AuditHit, RawHit } from './audit-hit.js';
import { AUDIT_RULES, type AuditLanguage, type AuditRuleId } from './audit-rule.js';
import { LineIndex } from './line-index.js';
import { mentionsWord } from './mentions-word.js';
import { loadPythonParser } from './python-parser.js';
import { scanPython } from './python-scanner.js';
import { PREFILTER } from './source-file.js';
import { scanTypeScript } from './ts-scanner.js';

/** Options of {@link scanSource}. */
export interface ScanSourceOptions {
  /** Hints that replace a rule's default SSOT hint. Default: none. */
  readonly hints?: Partial<Record<AuditRuleId, string>>;
  /** Skip parsing files that mention none of {@link PREFILTER}'s words. Default: true. */
  readonly prefilter?: boolean;
}

/**
 * Audits one file's text: parses it with the language's real parser, runs every rule, and
 * returns located findings in file order with their fingerprints. `rel` is the path shown in
 * findings and hashed into fingerprints.
 */
export async function scanSource(source: string, rel: string, language: AuditLanguage, options: ScanSourceOptions = {}): Promise<AuditHit[]> {
  if ((options.prefilter ?? true) && !PREFILTER[language].some((w) => mentionsWord(source, w))) return [];
  const raw = language === 'python' ? scanPython(await loadPythonParser(), source) : scanTypeScript(source, rel);
  return locate(raw, source, rel, options.hints ?? {});
}

function locate(raw: readonly RawHit[], source: string, rel: string, hints: Partial<Record<AuditRuleId, string>>): AuditHit[] {
  const sorted = [...raw].sort((a, b) => a.start - b.start || a.end - b.end);
  const lines = new LineIndex(source);
  const seen = new Map<string, number>();
  const out: AuditHit[] = [];
  let last: RawHit | undefined;
  for (const h of sorted) {
    // A nested reference inside an already-flagged expression is the same site.
    if (last !== undefined && last.rule === h.rule && last.start === h.start && last.end === h.end) continue;
    last = h;
    const call = normalizeCall(source.slice(h.start, h.end));
    const key = `${h.rule}\0${call}`;
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    const from = lines.position(h.start);
    const to = lines.position(h.end);
    out.push({
      rule: h.rule,
      file: rel,
      line: from.line,
      column: from.column,
      endLine: to.line,
      endColumn: to.column,
      call,
      hint: hints[h.rule] ?? AUDIT_RULES[h.rule].hint,
      fingerprint: auditFingerprint(h.rule, rel, call, occurrence),
    });
  }
  return out;
}
