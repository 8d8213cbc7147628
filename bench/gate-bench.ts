import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Result of {@link benchGate}. */
export interface GateBenchResult {
  readonly seconds: number;
  readonly exitCode: number | null;
}

const MAIN = fileURLToPath(new URL('../harness/cli/main.js', import.meta.url));

/** Runs the built `idgate gate --seed 1` end to end (server start included) and times it. */
export function benchGate(args: readonly string[] = ['gate', '--seed', '1']): Promise<GateBenchResult> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ seconds: (performance.now() - t0) / 1000, exitCode: code }));
  });
}
