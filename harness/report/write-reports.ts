import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../model/index.js';
import { formatHtml } from './format-html.js';
import { formatMarkdown } from './format-markdown.js';
import { redactSecrets } from './redact-secrets.js';
import { RUN_REPORT_SCHEMA_VERSION, type RunReport } from './run-report.js';

/** The files {@link writeReports} writes into a run folder (beside vitest's `junit.xml`). */
export const REPORT_FILES = { json: 'result.json', markdown: 'summary.md', html: 'report.html', junit: 'junit.xml' } as const;

/** Options of {@link writeReports}. */
export interface WriteReportsOptions {
  /** Also write result.json (false when re-rendering from it). Default: true. */
  readonly json?: boolean;
}

/**
 * Writes a run's reports into `dir` (created if needed): result.json, summary.md and
 * report.html, all with secrets redacted. Returns the paths written.
 */
export async function writeReports(dir: string, report: RunReport, options: WriteReportsOptions = {}): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const safe = redactSecrets(report);
  const files: [string, string][] = [
    ...(options.json === false ? [] : [[REPORT_FILES.json, `${JSON.stringify(safe, null, 2)}\n`] as [string, string]]),
    [REPORT_FILES.markdown, formatMarkdown(safe)],
    [REPORT_FILES.html, formatHtml(safe)],
  ];
  await Promise.all(files.map(([name, text]) => writeFile(join(dir, name), text)));
  return files.map(([name]) => join(dir, name));
}

/**
 * Reads a run folder's result.json. A missing file, bad JSON or another schema version is a
 * usage error naming the file and what to do.
 */
export async function readRunReport(dir: string, api = 'idgate report'): Promise<RunReport> {
  const file = join(dir, REPORT_FILES.json);
  if (!existsSync(file)) throw new UsageError('IDGATE_NO_RESULT', `${api}: ${file} does not exist`, 'give the folder of a run (reports/<run id>) that got as far as writing result.json');
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new UsageError('IDGATE_BAD_RESULT', `${api}: ${file} is not valid JSON (${e instanceof Error ? e.message : String(e)})`, 'run the gate again to rewrite it');
  }
  const version = (parsed as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version !== RUN_REPORT_SCHEMA_VERSION) {
    throw new UsageError('IDGATE_BAD_RESULT', `${api}: ${file} has schema version ${JSON.stringify(version)}, this idgate reads ${RUN_REPORT_SCHEMA_VERSION}`, 'render it with the idgate version that wrote it, or run the gate again');
  }
  return parsed as RunReport;
}
