import { UsageError } from '../model/index.js';

/**
 * A configuration file idgate cannot use: names the file, the key and the fix. Exit 2.
 */
export class ConfigError extends UsageError {
  /** The configuration file. */
  readonly file: string;
  /** The offending key as a path (`profiles.gate.idsPerDomain`), or `(file)` for the file as a whole. */
  readonly key: string;

  constructor(file: string, key: string, problem: string, fix: string, options?: ErrorOptions) {
    super('IDGATE_CONFIG', `idgate: ${file}: ${key}: ${problem}`, fix, options);
    this.file = file;
    this.key = key;
  }
}
