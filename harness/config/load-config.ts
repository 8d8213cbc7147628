import { existsSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { createJiti } from 'jiti';
import type { DomainCatalog } from '../spec/index.js';
import { ConfigError } from './config-error.js';
import type { IdgateConfig } from './idgate-config.js';
import { configCatalog, validateConfig } from './validate-config.js';

/** File names idgate looks for, in this order, when no `--config` is given. */
export const CONFIG_FILE_NAMES = ['idgate.config.ts', 'idgate.config.mts', 'idgate.config.js', 'idgate.config.mjs'] as const;

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** The configuration file (`--config`); it must exist. Default: the first of {@link CONFIG_FILE_NAMES} in `cwd`, if any. */
  readonly file?: string;
  /** Where relative paths start. Default: `process.cwd()`. */
  readonly cwd?: string;
}

/** A configuration read and validated, with what it implies. */
export interface LoadedConfig {
  /** The file, absolute. */
  readonly file: string;
  readonly config: IdgateConfig;
  /** The default catalog extended with the configuration's domains; undefined when it adds none. */
  readonly catalog: DomainCatalog | undefined;
  /** A path from the configuration, resolved against the file's folder. */
  resolvePath(this: void, path: string): string;
}

/**
 * Finds, loads (TypeScript or JavaScript, through jiti, no build step) and validates an idgate
 * configuration. Resolves to undefined when no file was asked for and none exists; every problem
 * with the file is a {@link ConfigError} naming the file, the key and the fix.
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadedConfig | undefined> {
  const cwd = options.cwd ?? process.cwd();
  let file: string;
  if (options.file !== undefined) {
    file = resolve(cwd, options.file);
    if (!existsSync(file)) throw new ConfigError(options.file, '(file)', 'does not exist', `create it (export default defineConfig({ … })) or fix the --config path (relative to ${cwd})`);
  } else {
    const found = CONFIG_FILE_NAMES.map((n) => resolve(cwd, n)).find((f) => existsSync(f));
    if (found === undefined) return undefined;
    file = found;
  }
  const shown = isAbsolute(options.file ?? '') ? file : relative(cwd, file) || file;
  let exported: unknown;
  try {
    const jiti = createJiti(import.meta.url, { moduleCache: false, fsCache: false });
    exported = await jiti.import(file, { default: true });
  } catch (e) {
    const why = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    throw new ConfigError(shown, '(file)', `cannot be loaded: ${why}`, 'fix the error in the file (it must run as an ES module exporting defineConfig({ … }))', { cause: e });
  }
  const config = validateConfig(shown, exported);
  const dir = dirname(file);
  return { file, config, catalog: configCatalog(shown, config), resolvePath: (p) => resolve(dir, p) };
}
