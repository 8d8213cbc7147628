import type { ScanProgress } from './scan-result.js';

/** Options of {@link ScanProgressPrinter}. */
export interface ScanProgressPrinterOptions {
  /** Where lines go. Required. */
  readonly write: (line: string) => void;
  /** Redraw one line in place (a terminal) instead of printing plain lines. Default: false. */
  readonly tty?: boolean;
  /** Least time between two plain lines. Default: 10 000 ms (a terminal redraws every 250 ms). */
  readonly intervalMs?: number;
}

/**
 * Prints a scan's progress with an ETA from how far it is: on a terminal one line redrawn in
 * place, otherwise (CI logs, pipes) a plain line at most every `intervalMs`, the first after one
 * interval.
 */
export class ScanProgressPrinter {
  // Plain lines start one interval in, so a short scan prints none.
  private last = 0;
  private drawn = false;

  constructor(private readonly options: ScanProgressPrinterOptions) {}

  /** Takes one progress report; prints when due. */
  update(p: ScanProgress): void {
    const every = this.options.tty === true ? 250 : (this.options.intervalMs ?? 10_000);
    if (p.elapsedMs - this.last < every) return;
    this.last = p.elapsedMs;
    const line = progressLine(p);
    if (this.options.tty === true) {
      this.options.write(`\r${line}\u001b[K`);
      this.drawn = true;
    } else this.options.write(line);
  }

  /** Ends the redrawn line, if any. */
  stop(): void {
    if (this.drawn) this.options.write('\n');
    this.drawn = false;
  }
}

/** `idgate scan: 41% of 1,200,000 keys, 52,000 keys/s, ETA 14 s`. */
export function progressLine(p: ScanProgress): string {
  const frac = p.total > 0 ? Math.min(1, p.done / p.total) : 0;
  const rate = p.elapsedMs > 0 ? (p.done / p.elapsedMs) * 1000 : 0;
  const eta = rate > 0 && p.total > p.done ? `ETA ${Math.ceil((p.total - p.done) / rate)} s` : 'ETA —';
  return `idgate scan: ${Math.floor(frac * 100)}% of ${p.total.toLocaleString('en-US')} ${p.unit}, ${Math.round(rate).toLocaleString('en-US')} ${p.unit}/s, ${eta}`;
}
