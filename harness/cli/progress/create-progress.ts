import type { GateProgress } from './gate-progress.js';
import { LineProgress } from './line-progress.js';
import { TtyProgress } from './tty-progress.js';

/** Options of {@link createGateProgress}. */
export interface CreateGateProgressOptions {
  /** Where progress goes. Default: `process.stderr`. */
  readonly stream?: NodeJS.WriteStream;
  /** The environment (reads `CI`). Default: `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Whether `CI` is set to something other than `false`/`0`. */
export function isCi(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

/**
 * Bars on an interactive terminal; plain lines at most every 10 s when `CI` is set or the
 * stream is not a terminal.
 */
export function createGateProgress(options: CreateGateProgressOptions = {}): GateProgress {
  const stream = options.stream ?? process.stderr;
  if (stream.isTTY && !isCi(options.env)) return new TtyProgress({ stream });
  return new LineProgress({ write: (line) => stream.write(`${line}\n`) });
}
