import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, dirname, resolve } from 'node:path';
import { startModuleWorker, UsageError } from '../model/index.js';
import type { AuditHit } from './audit-hit.js';
import { isAuditRuleId, type AuditRuleId } from './audit-rule.js';
import { listSources, type ListSourcesOptions } from './list-sources.js';
import { scanFiles, type AuditSkip, type ScanFilesRequest, type ScanFilesResult } from './scan-files.js';
import { languageOf, type SourceFile } from './source-file.js';

/** Options of {@link auditTree}. */
export interface AuditTreeOptions extends ListSourcesOptions {
  /** Hints that replace a rule's default SSOT hint. Default: none. */
  readonly hints?: Partial<Record<AuditRuleId, string>>;
  /** Worker threads; 0 scans in this thread. Default: the cores (at most 4) when there are ≥ 400 files, else 0. */
  readonly jobs?: number;
  /** Skip parsing files that name no minting module or global. Default: true. */
  readonly prefilter?: boolean;
  /** Files larger than this are skipped and listed (minified bundles). Default: 4 MiB. */
  readonly maxFileBytes?: number;
  /** Scan only the first this many files by path (benchmarks). Default: all. */
  readonly limit?: number;
}

/** What {@link auditTree} found. */
export interface AuditResult {
  /** The audited path, absolute. */
  readonly root: string;
  /** Files scanned. */
  readonly files: number;
  /** Bytes of source scanned. */
  readonly bytes: number;
  /** Source files inside allowed SSOT modules, not scanned. */
  readonly allowed: readonly string[];
  readonly skipped: readonly AuditSkip[];
  /** Every finding, sorted by file, line and column. */
  readonly hits: readonly AuditHit[];
  readonly elapsedMs: number;
}

const BATCH = 64;

/**
 * Audits every Python and TS/JS file under `path` (a directory or a single file) for ID minting
 * outside the allowed SSOT modules. Validates its options first; throws {@link UsageError} for a
 * path that does not exist.
 */
export async function auditTree(path: string, options: AuditTreeOptions = {}): Promise<AuditResult> {
  const t0 = performance.now();
  const root = resolve(path);
  const info = await stat(root).catch(() => null);
  if (info === null) throw new UsageError('IDGATE_AUDIT_PATH', `idgate audit: ${JSON.stringify(path)} does not exist`, 'give the directory or file to audit, e.g. idgate audit src');
  for (const rule of Object.keys(options.hints ?? {})) {
    if (!isAuditRuleId(rule)) throw new UsageError('IDGATE_AUDIT_RULE', `idgate audit: unknown rule ${JSON.stringify(rule)} in hints`, 'name a rule listed in docs/audit.md, e.g. py/uuid');
  }
  let files: SourceFile[];
  let allowed: string[];
  if (info.isDirectory()) ({ files, allowed } = await listSources(root, options));
  else {
    const language = languageOf(root);
    files = language === null ? [] : [{ path: root, rel: basename(root), language }];
    allowed = [];
  }
  if (options.limit !== undefined) files = files.slice(0, options.limit);
  const req = { hints: options.hints ?? {}, prefilter: options.prefilter ?? true, maxFileBytes: options.maxFileBytes ?? 4 * 1024 * 1024 };
  const jobs = Math.max(0, Math.floor(options.jobs ?? (files.length >= 400 ? Math.min(4, availableParallelism()) : 0)));
  const parts = jobs === 0 ? [await scanFiles({ ...req, files })] : await scanInWorkers(files, req, jobs);
  const hits = parts.flatMap((p) => p.hits).sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
  return {
    root: info.isDirectory() ? root : dirname(root),
    files: files.length,
    bytes: parts.reduce((s, p) => s + p.bytes, 0),
    allowed,
    skipped: parts.flatMap((p) => p.skipped),
    hits,
    elapsedMs: performance.now() - t0,
  };
}

/** Hands batches of files to `jobs` worker threads, each taking the next batch when done. */
async function scanInWorkers(files: readonly SourceFile[], req: Omit<ScanFilesRequest, 'files'>, jobs: number): Promise<ScanFilesResult[]> {
  const results: ScanFilesResult[] = [];
  let next = 0;
  const runOne = (): Promise<void> =>
    new Promise((done, fail) => {
      const worker = startModuleWorker(import.meta.url, './audit-worker');
      const send = () => {
        if (next >= files.length) {
          void worker.terminate().then(() => done());
          return;
        }
        const batch = files.slice(next, next + BATCH);
        next += BATCH;
        worker.postMessage({ ...req, files: batch } satisfies ScanFilesRequest);
      };
      worker.on('message', (res: ScanFilesResult) => {
        results.push(res);
        send();
      });
      worker.on('error', fail);
      send();
    });
  await Promise.all(Array.from({ length: Math.min(jobs, Math.ceil(files.length / BATCH)) }, runOne));
  return results;
}
