import { IdgateError, ExitCode } from '../model/index.js';
import { auditCommand, runAudit } from './audit-command.js';
import { cleanCommand, runClean } from './clean/index.js';
import { withAuditConfig } from './audit-config-args.js';
import { commandHelp, parseFlags, type CommandSpec, type FlagValues } from './flags.js';
import { gateCommand, gateRunner } from './gate-command.js';
import { reportCommand, runReport } from './report-command.js';
import { runScan, scanCommand } from './scan-command.js';
import { runSmoke, smokeCommand } from './smoke.js';
import { runVerify, verifyCommand } from './verify-command.js';

type Runner = (flags: FlagValues, out: (line: string) => void) => Promise<number>;

/** Every subcommand: its declaration and its runner. */
const COMMANDS: ReadonlyMap<string, { spec: CommandSpec; run: Runner }> = new Map([
  ['gate', { spec: gateCommand('gate'), run: gateRunner('gate') }],
  ['golden', { spec: gateCommand('golden'), run: gateRunner('golden') }],
  ['nightly', { spec: gateCommand('nightly'), run: gateRunner('nightly') }],
  [reportCommand.name, { spec: reportCommand, run: runReport }],
  [cleanCommand.name, { spec: cleanCommand, run: runClean }],
  [auditCommand.name, { spec: auditCommand, run: runAudit }],
  [scanCommand.name, { spec: scanCommand, run: runScan }],
  [smokeCommand.name, { spec: smokeCommand, run: runSmoke }],
  [verifyCommand.name, { spec: verifyCommand, run: (flags, out) => runVerify(flags, out) }],
]);

function mainHelp(): string {
  const lines = ['idgate — proves an ID system mints every ID exactly once and keeps every user\'s IDs to that user.', '', 'Usage: idgate <command> [flags]', '', 'Commands:'];
  for (const { spec } of COMMANDS.values()) lines.push(`  ${spec.name.padEnd(9)}${spec.summary}`);
  lines.push(
    '',
    'Run idgate <command> --help for its flags.',
    'Configuration: idgate.config.ts in the working directory (or --config), export default defineConfig({ … }) from idgate.',
    'Reports: reports/<run id>/ holds result.json, summary.md, report.html and junit.xml.',
    'Exit codes: 0 pass, 1 findings, 2 usage or configuration error, 3 infrastructure error.',
  );
  return lines.join('\n');
}

/** Runs the idgate command line; resolves to the exit code. */
export async function main(argv: readonly string[], out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    out(mainHelp());
    return name === undefined ? ExitCode.Usage : ExitCode.Pass;
  }
  const cmd = COMMANDS.get(name);
  if (cmd === undefined) {
    out(`idgate: unknown command ${JSON.stringify(name)}\n  → run idgate --help for the list of commands`);
    return ExitCode.Usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    out(commandHelp(cmd.spec));
    return ExitCode.Pass;
  }
  try {
    const args = name === auditCommand.name ? await withAuditConfig(rest) : rest;
    return await cmd.run(parseFlags(cmd.spec, args), out);
  } catch (e) {
    if (e instanceof IdgateError) {
      out(`${e.message}`);
      return e.exitCode;
    }
    out(`idgate ${name}: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return ExitCode.Infrastructure;
  }
}
