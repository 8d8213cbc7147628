import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';

/** Makes `n` IDs shaped like `run_<ms>_<26 hex>` (bulk random bytes, one hex slice per ID). */
export function makeIds(n: number, seq: number): string[] {
  const hex = randomBytes(13 * n).toString('hex');
  const ms = String(1_700_000_000_000 + seq);
  const ids = new Array<string>(n);
  for (let i = 0; i < n; i++) ids[i] = `run_${ms}_${hex.slice(i * 26, i * 26 + 26)}`;
  return ids;
}

/** The 1-minute load average, as a string for the report. */
export function load(): string {
  return loadavg()[0]!.toFixed(2);
}

/** CPU seconds (user + sys) a process has used so far, from /proc. */
export function processCpuSeconds(pid: number): number {
  const stat = execFileSync('cat', [`/proc/${pid}/stat`]).toString();
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The median of `xs` (the mean of the middle two for an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** `median (min–max, n runs)` of rates, each formatted by `f`. */
export function spread(xs: readonly number[], f: (x: number) => string): string {
  return xs.length === 1 ? f(xs[0]!) : `${f(median(xs))} (median of ${xs.length}: ${f(Math.min(...xs))}–${f(Math.max(...xs))})`;
}
