import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ExitCode } from '../model/index.js';
import { readRunReport, REPORT_FILES, writeReports } from '../report/index.js';
import type { CommandSpec, FlagValues } from './flags.js';

/** `idgate report`: renders a run's Markdown and HTML reports again from its result.json. */
export const reportCommand: CommandSpec = {
  name: 'report',
  summary: "render a run's summary.md and report.html again from its result.json",
  positionals: [{ name: 'run-dir', description: 'the run folder, e.g. reports/20261123T101500-gate-42', required: true }],
  flags: [{ name: 'markdown', type: 'boolean', description: 'also print the Markdown summary (for a pull-request comment)' }],
};

/** Runs `idgate report`; 0 once written, 2 when the folder holds no readable result.json. */
export async function runReport(flags: FlagValues, out: (line: string) => void): Promise<number> {
  const dir = flags['run-dir'] as string;
  const report = await readRunReport(dir, 'idgate report');
  const written = await writeReports(dir, report, { json: false });
  if (flags.markdown === true) out((await readFile(join(dir, REPORT_FILES.markdown), 'utf8')).trimEnd());
  out(`idgate report: wrote ${written.join(', ')} (run ${report.runId}, exit code ${report.exitCode})`);
  return ExitCode.Pass;
}
