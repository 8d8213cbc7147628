import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { UsageError } from './idgate-error.js';

/** How {@link startModuleWorker} loads the thread's code. */
export interface ModuleWorkerLoading {
  /**
   * Register tsx in the thread even when idgate runs built, because the thread will import
   * TypeScript of its own (a `.ts` target module). Default: only when idgate runs from sources.
   */
  readonly typescript?: boolean;
}

/**
 * Starts a worker thread running the module `name` (e.g. `./check-worker`) that sits beside the
 * module whose `import.meta.url` is `caller`. From the built package the worker is plain JS; from
 * the sources (vitest, tsx), or when asked to load TypeScript, a bootstrap registers tsx's loader
 * inside the thread first, because Node 20 does not hand `--import` hooks on to workers.
 * @throws UsageError when TypeScript must be loaded and tsx is not installed
 */
export function startModuleWorker(caller: string, name: string, options: Omit<WorkerOptions, 'eval'> = {}, loading: ModuleWorkerLoading = {}): Worker {
  const fromSources = caller.endsWith('.ts');
  const entry = new URL(`${name}${fromSources ? '.ts' : '.js'}`, caller);
  if (!fromSources && loading.typescript !== true) return new Worker(entry, options);
  let tsxApi: string;
  try {
    tsxApi = pathToFileURL(createRequire(caller).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  } catch (e) {
    throw new UsageError('IDGATE_TSX_MISSING', `startModuleWorker: ${name} must load TypeScript and tsx cannot be found (${e instanceof Error ? e.message : String(e)})`, 'install tsx (npm i -D tsx), or use compiled .js modules', { cause: e });
  }
  const boot = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(boot, { ...options, eval: true });
}
