import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker thread running the module `name` (e.g. `./check-worker`) that sits beside the
 * module whose `import.meta.url` is `caller`. From the built package the worker is plain JS; from
 * the sources (vitest, tsx) a bootstrap registers tsx's loader inside the thread first, because
 * Node 20 does not hand `--import` hooks on to workers.
 */
export function startModuleWorker(caller: string, name: string, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  if (!caller.endsWith('.ts')) return new Worker(new URL(`${name}.js`, caller), options);
  const tsxApi = pathToFileURL(createRequire(caller).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const entry = new URL(`${name}.ts`, caller).href;
  const boot = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { ...options, eval: true });
}
