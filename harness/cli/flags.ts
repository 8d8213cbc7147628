import { UsageError } from '../model/index.js';

/** One command-line flag, declared as data. */
export interface FlagSpec {
  /** Long name without dashes, e.g. `ids`. */
  readonly name: string;
  readonly description: string;
  /** `string`, `number` or `boolean` (a switch). */
  readonly type: 'string' | 'number' | 'boolean';
  /** Shown in help; applied when the flag is absent. */
  readonly default?: string | number | boolean;
  /**
   * A string flag that may be given several times (`--allow a --allow b`); its value is then a
   * `string[]`, empty when absent. Default: false.
   */
  readonly multiple?: boolean;
}

/** One positional argument (`idgate audit <path>`), declared as data. */
export interface PositionalSpec {
  /** The key its value gets in {@link FlagValues}; must not clash with a flag name. */
  readonly name: string;
  readonly description: string;
  /** A missing required positional is a usage error. Default: false. */
  readonly required?: boolean;
}

/** One subcommand, declared as data. */
export interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  readonly flags: readonly FlagSpec[];
  /** Positional arguments in order; commands without them reject any. Default: none. */
  readonly positionals?: readonly PositionalSpec[];
}

/** Parsed flag values by name (positionals by their name, repeatable flags as `string[]`). */
export type FlagValues = Record<string, string | number | boolean | readonly string[] | undefined>;

/**
 * Parses `--name value`, `--name=value` and boolean `--name` against a command's declared
 * flags. Unknown flags and bad numbers are usage errors naming the flag and the fix.
 */
export function parseFlags(cmd: CommandSpec, argv: readonly string[]): FlagValues {
  const values: FlagValues = {};
  for (const f of cmd.flags) values[f.name] = f.multiple === true ? [] : f.default;
  const positionals = cmd.positionals ?? [];
  let positional = 0;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--') && positional < positionals.length) {
      values[positionals[positional++]!.name] = arg;
      continue;
    }
    if (!arg.startsWith('--')) {
      throw new UsageError('IDGATE_BAD_ARGUMENT', `idgate ${cmd.name}: unexpected argument ${JSON.stringify(arg)}`, `run idgate ${cmd.name} --help for the flags it takes`);
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const spec = cmd.flags.find((f) => f.name === name);
    if (spec === undefined) {
      throw new UsageError('IDGATE_UNKNOWN_FLAG', `idgate ${cmd.name}: unknown flag --${name}`, `run idgate ${cmd.name} --help for the flags it takes`);
    }
    if (spec.type === 'boolean') {
      values[name] = eq < 0 ? true : arg.slice(eq + 1) !== 'false';
      continue;
    }
    const raw = eq < 0 ? argv[++i] : arg.slice(eq + 1);
    if (raw === undefined) {
      throw new UsageError('IDGATE_FLAG_VALUE', `idgate ${cmd.name}: --${name} needs a value`, `write --${name} <${spec.type}>`);
    }
    if (spec.type === 'number') {
      const n = Number(raw.replace(/_/g, ''));
      if (!Number.isFinite(n)) {
        throw new UsageError('IDGATE_FLAG_VALUE', `idgate ${cmd.name}: --${name} must be a number, got ${JSON.stringify(raw)}`, `write --${name} 1000000 (underscores allowed: 1_000_000)`);
      }
      values[name] = n;
    } else if (spec.multiple === true) {
      values[name] = [...(values[name] as readonly string[]), raw];
    } else {
      values[name] = raw;
    }
  }
  const missing = positionals.slice(positional).find((p) => p.required === true);
  if (missing !== undefined) {
    throw new UsageError('IDGATE_MISSING_ARGUMENT', `idgate ${cmd.name}: missing <${missing.name}>`, `write idgate ${cmd.name} <${missing.name}>; run idgate ${cmd.name} --help for details`);
  }
  return values;
}

/** Help text of one command. */
export function commandHelp(cmd: CommandSpec): string {
  const width = Math.max(...cmd.flags.map((f) => f.name.length + (f.type === 'boolean' ? 0 : f.type.length + 3)), 4);
  const lines = [`idgate ${cmd.name} — ${cmd.summary}`, ''];
  const positionals = cmd.positionals ?? [];
  if (positionals.length > 0) {
    lines.push(`Usage: idgate ${cmd.name} ${positionals.map((p) => (p.required === true ? `<${p.name}>` : `[${p.name}]`)).join(' ')} [flags]`, '', 'Arguments:');
    for (const p of positionals) lines.push(`  ${`<${p.name}>`.padEnd(width + 4)}${p.description}`);
    lines.push('');
  }
  lines.push('Flags:');
  for (const f of cmd.flags) {
    const left = f.type === 'boolean' ? `--${f.name}` : `--${f.name} <${f.type}>`;
    lines.push(`  ${left.padEnd(width + 4)}${f.description}${f.multiple === true ? ' (repeatable)' : ''}${f.default !== undefined ? ` (default: ${String(f.default)})` : ''}`);
  }
  lines.push(`  ${'--help'.padEnd(width + 4)}show this help`);
  return lines.join('\n');
}
