import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../model/index.js';
import { InProcessTarget, SubprocessTarget, type StartedTarget, type TargetOutcome, type TargetTimeouts } from '../targets/index.js';

const here = dirname(fileURLToPath(import.meta.url));
/** `.ts` when running from sources (vitest, tsx), `.js` from dist/. */
const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
/** Where compiled or source modules live: the repo root from sources, dist/ when built. */
const codeRoot = join(here, '..', '..');
/** The package root (holds package.json, fixtures/python, suites/ sources). */
const packageRoot = existsSync(join(codeRoot, 'package.json')) ? codeRoot : join(codeRoot, '..');

/** How to start a target: a module for the in-process adapter, or a command speaking the protocol. */
export type TargetSpec =
  | { readonly kind: 'module'; readonly module: string; readonly label: string }
  | { readonly kind: 'command'; readonly command: string; readonly args: readonly string[]; readonly label: string };

/** Bundled targets by name, for `--target`. */
export const BUILTIN_TARGETS: Readonly<Record<string, string>> = {
  reference: 'the TypeScript reference generator, in-process',
  'reference-subprocess': 'the TypeScript reference generator as a subprocess (JSON lines)',
  'python-reference': 'the Python reference generator (subprocess)',
  'python-legacy': 'a Python generator with the defects of a real legacy platform (subprocess)',
  'mutant:<name>': 'a defective variant of the reference from fixtures/mutants',
};

/**
 * Reads `--target`: a built-in name (see {@link BUILTIN_TARGETS}), a JS/TS module path
 * exporting `createTarget`, or a command line (split on spaces) that speaks docs/protocol.md.
 */
export function resolveTarget(text: string): TargetSpec {
  const t = text.trim();
  if (t === '') throw new UsageError('IDGATE_BAD_TARGET', 'idgate: --target is empty', `give a built-in target (${Object.keys(BUILTIN_TARGETS).join(', ')}), a module path or a command`);
  const nodeArgs = ext === '.ts' ? ['--import', 'tsx'] : [];
  switch (t) {
    case 'reference':
      return { kind: 'module', module: join(codeRoot, 'fixtures', 'reference', `index${ext}`), label: t };
    case 'reference-subprocess':
      return { kind: 'command', command: process.execPath, args: [...nodeArgs, join(codeRoot, 'fixtures', 'reference', `serve${ext}`)], label: t };
    case 'python-reference':
      return { kind: 'command', command: 'python3', args: [join(packageRoot, 'fixtures', 'python', 'reference_target.py')], label: t };
    case 'python-legacy':
      return { kind: 'command', command: 'python3', args: [join(packageRoot, 'fixtures', 'python', 'legacy_target.py')], label: t };
  }
  if (t.startsWith('mutant:')) {
    const name = t.slice('mutant:'.length);
    const file = join(codeRoot, 'fixtures', 'mutants', `${name}${ext}`);
    if (!/^[a-z0-9-]+$/.test(name) || name === 'index' || name === 'mutant' || !existsSync(file)) {
      throw new UsageError('IDGATE_BAD_TARGET', `idgate: no mutant named ${JSON.stringify(name)}`, 'list them in fixtures/mutants/ (file names without extension)');
    }
    return { kind: 'module', module: file, label: t };
  }
  if (/\.(m|c)?(j|t)s$/.test(t) && !t.includes(' ')) {
    if (!existsSync(t)) throw new UsageError('IDGATE_BAD_TARGET', `idgate: target module ${t} does not exist`, 'give a path relative to the working directory, or an absolute one');
    return { kind: 'module', module: t, label: t };
  }
  const [command, ...args] = t.split(/\s+/);
  return { kind: 'command', command: command!, args, label: t };
}

/** Starts a target from its spec; a target that fails to start is a `target-failure` finding. */
export async function startTarget(spec: TargetSpec, worker = 0, timeouts?: TargetTimeouts): Promise<TargetOutcome<StartedTarget>> {
  if (spec.kind === 'module') return new InProcessTarget({ module: spec.module, name: spec.label, worker, timeouts }).start();
  return new SubprocessTarget({ command: spec.command, args: spec.args, name: spec.label, worker, timeouts }).start();
}

/** The replay command line for a run. */
export function replayCommand(spec: TargetSpec, profile: string, seed: number): string {
  const quoted = /^[\w@%+=:,./-]+$/.test(spec.label) ? spec.label : `'${spec.label.replace(/'/g, `'\\''`)}'`;
  return `npx idgate gate --target ${quoted} --profile ${profile} --seed ${seed}`;
}
