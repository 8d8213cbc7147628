import { loadConfig } from '../config/index.js';

/**
 * `idgate audit` arguments completed from the configuration: without a path argument, the
 * config's `audit.root` (relative to the config file) and its `allow`/`exclude` globs are added.
 * A `--config <file>` among the arguments names the file and is removed from them.
 */
export async function withAuditConfig(argv: readonly string[]): Promise<readonly string[]> {
  const rest = [...argv];
  let file: string | undefined;
  const i = rest.findIndex((a) => a === '--config' || a.startsWith('--config='));
  if (i >= 0) {
    const arg = rest[i]!;
    file = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : rest[i + 1];
    rest.splice(i, arg.includes('=') ? 1 : 2);
  }
  const hasPath = rest.some((a, j) => !a.startsWith('--') && (j === 0 || !rest[j - 1]!.startsWith('--') || rest[j - 1]!.includes('=') || BOOLEAN_FLAGS.has(rest[j - 1]!)));
  if (hasPath) return rest;
  const loaded = await loadConfig({ file });
  const audit = loaded?.config.audit;
  if (loaded === undefined || audit === undefined) return rest;
  return [loaded.resolvePath(audit.root), ...(audit.allow ?? []).flatMap((g) => ['--allow', g]), ...(audit.exclude ?? []).flatMap((g) => ['--exclude', g]), ...rest];
}

// Audit's switches, which take no value: a word after one of them is the path.
const BOOLEAN_FLAGS = new Set(['--all-dirs', '--update-baseline']);
