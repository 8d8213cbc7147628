import { formatCount, formatDuration } from '../../report/index.js';
import type { GatePlan, GateProgress } from './gate-progress.js';
import { ProgressState } from './progress-state.js';

/** Options of {@link LineProgress}. */
export interface LineProgressOptions {
  /** Where lines go. Required. */
  readonly write: (line: string) => void;
  /** Nothing is printed before the run is this old, so short runs stay quiet. Default: 5 000 ms. */
  readonly quietMs?: number;
  /** Least time between two lines. Default: 10 000 ms (a 15-minute nightly prints about 90 lines). */
  readonly intervalMs?: number;
  /** Clock, for tests. Default: `performance.now`. */
  readonly now?: () => number;
}

/**
 * Progress as plain lines for CI logs and pipes: one line at most every `intervalMs`, none in
 * the first `quietMs`, and a closing line only if anything was printed. Never floods a log.
 */
export class LineProgress implements GateProgress {
  private readonly state: ProgressState;
  private readonly quietMs: number;
  private readonly intervalMs: number;
  private lastLine = -Infinity;
  private printed = 0;
  private stopped = false;

  constructor(private readonly options: LineProgressOptions) {
    this.state = new ProgressState(options.now);
    this.quietMs = options.quietMs ?? 5000;
    this.intervalMs = options.intervalMs ?? 10_000;
  }

  /** Lines printed so far. */
  get lines(): number {
    return this.printed;
  }

  start(plan: GatePlan): void {
    this.state.start(plan);
  }

  minted(domain: string, minted: number): void {
    this.state.domain = domain;
    this.state.perDomain.set(domain, minted);
    this.maybePrint();
  }

  written(ledger: string, _domain: string, count: number): void {
    this.state.written.set(ledger, (this.state.written.get(ledger) ?? 0) + count);
    this.maybePrint();
  }

  verifying(ledgers: readonly string[], done: boolean): void {
    this.state.verifying = ledgers;
    this.state.verified = done;
    this.maybePrint();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.printed === 0) return;
    const s = this.state;
    this.emit(`minted ${formatCount(s.minted)} IDs in ${formatDuration(s.elapsedMs)} (${formatCount(s.rate)} IDs/s)`);
  }

  private maybePrint(): void {
    const t = this.state.elapsedMs;
    if (this.stopped || t < this.quietMs || t - this.lastLine < this.intervalMs) return;
    this.lastLine = t;
    this.emit(this.state.line());
  }

  private emit(text: string): void {
    this.printed++;
    this.options.write(`idgate: ${text}`);
  }
}
