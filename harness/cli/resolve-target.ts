import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../model/index.js';
import { InProcessTarget, SubprocessTarget, WorkerThreadTarget, type StartedTarget, type TargetOutcome, type TargetTimeouts } from '../targets/index.js';

const here = dirname(fileURLToPath(import.meta.url));
/** `.ts` when running from sources (vitest, tsx), `.js` from dist/. */
const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
/** Where compiled or source modules live: the repo root from sources, dist/ when built. */
const codeRoot = join(here, '..', '..');
/** The package root (holds package.json, fixtures/python, suites/ sources). */
const packageRoot = existsSync(join(codeRoot, 'package.json')) ? codeRoot : join(codeRoot, '..');

/**
 * How to start a target: a module for the in-process adapter, a module for the worker-thread
 * adapter (one thread, with its own module instance, per worker), or a command speaking the
 * protocol (one process per worker).
 */
export type TargetSpec =
  | { readonly kind: 'module'; readonly module: string; readonly label: string }
  | { readonly kind: 'worker'; readonly module: string; readonly label: string }
  | { readonly kind: 'command'; readonly command: string; readonly args: readonly string[]; readonly label: string };

/** Bundled targets by name, for `--target`. */
export const BUILTIN_TARGETS: Readonly<Record<string, string>> = {
  reference: 'the TypeScript reference generator, in-process',
  'reference-subprocess': 'the TypeScript reference generator as a subprocess (JSON lines)',
  'python-reference': 'the Python reference generator (subprocess)',
  'python-legacy': 'a Python generator with the defects of a real legacy platform (subprocess)',
  'mutant:<name>': 'a defective variant of the reference from fixtures/mutants',
  'worker:<target>': 'a module target (reference, mutant:<name> or a module path) in worker threads, one per profile worker, each with its own module state',
  'subprocess:mutant:<name>': 'a mutant as a subprocess (JSON lines), one process per profile worker',
};

/**
 * Reads `--target`: a built-in name (see {@link BUILTIN_TARGETS}), a JS/TS module path
 * exporting `createTarget`, or a command line (split on spaces) that speaks docs/protocol.md.
 * `worker:` before a module target runs it in worker threads; `subprocess:mutant:<name>` runs a
 * mutant as a process per worker.
 */
export function resolveTarget(text: string): TargetSpec {
  const t = text.trim();
  if (t === '') throw new UsageError('IDGATE_BAD_TARGET', 'idgate: --target is empty', `give a built-in target (${Object.keys(BUILTIN_TARGETS).join(', ')}), a module path or a command`);
  const nodeArgs = ext === '.ts' ? ['--import', 'tsx'] : [];
  if (t.startsWith('worker:')) {
    const inner = t.slice('worker:'.length).trim();
    const spec = inner === '' || inner.startsWith('worker:') ? undefined : resolveTarget(inner);
    if (spec?.kind !== 'module') {
      throw new UsageError('IDGATE_BAD_TARGET', `idgate: --target ${t}: worker threads load a module target, and ${JSON.stringify(inner)} is ${inner === '' ? 'empty' : spec === undefined ? 'another worker: target' : 'a command'}`, 'write worker:reference, worker:mutant:<name> or worker:<path to a module exporting createTarget>');
    }
    return { kind: 'worker', module: spec.module, label: t };
  }
  if (t.startsWith('subprocess:')) {
    const name = t.slice('subprocess:'.length);
    if (!name.startsWith('mutant:')) throw new UsageError('IDGATE_BAD_TARGET', `idgate: --target ${t}: subprocess: takes a mutant (subprocess:mutant:<name>)`, 'for the reference use reference-subprocess; for your own target give the command that serves it');
    const mutant = resolveTarget(name);
    if (mutant.kind !== 'module') throw new UsageError('IDGATE_BAD_TARGET', `idgate: --target ${t}: ${name} is not a mutant`, 'list them in fixtures/mutants/ (file names without extension)');
    return { kind: 'command', command: process.execPath, args: [...nodeArgs, join(codeRoot, 'fixtures', 'mutants', `serve${ext}`), name.slice('mutant:'.length)], label: t };
  }
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

/**
 * Starts instance `worker` of a target from its spec, handing the factory `options` (default none);
 * a target that fails to start is a `target-failure` finding.
 */
export async function startTarget(spec: TargetSpec, worker = 0, timeouts?: TargetTimeouts, options?: Readonly<Record<string, unknown>>): Promise<TargetOutcome<StartedTarget>> {
  const common = { name: spec.label, worker, timeouts, ...(options === undefined ? {} : { options }) };
  if (spec.kind === 'module') return new InProcessTarget({ module: spec.module, ...common }).start();
  if (spec.kind === 'worker') return new WorkerThreadTarget({ module: spec.module, ...common }).start();
  return new SubprocessTarget({ command: spec.command, args: spec.args, ...common }).start();
}

/** The replay command line for a run. */
export function replayCommand(spec: TargetSpec, profile: string, seed: number): string {
  const quoted = /^[\w@%+=:,./-]+$/.test(spec.label) ? spec.label : `'${spec.label.replace(/'/g, `'\\''`)}'`;
  return `npx idgate gate --target ${quoted} --profile ${profile} --seed ${seed}`;
}
