import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import { formatCount, formatDuration } from '../../report/index.js';
import type { GatePlan, GateProgress } from './gate-progress.js';
import { ProgressState } from './progress-state.js';

/** Options of {@link TtyProgress}. */
export interface TtyProgressOptions {
  /** The terminal. Required. */
  readonly stream: NodeJS.WriteStream;
  /** Bars appear only once the run is this old. Default: 1 500 ms. */
  readonly quietMs?: number;
}

/**
 * Progress bars on a terminal (cli-progress): one bar for IDs minted with the current domain,
 * rate and ETA, and one per ledger for IDs written; redrawn in place a few times a second.
 */
export class TtyProgress implements GateProgress {
  private readonly state = new ProgressState();
  private multi: MultiBar | undefined;
  private readonly bars = new Map<string, SingleBar>();
  private stopped = false;

  constructor(private readonly options: TtyProgressOptions) {}

  start(plan: GatePlan): void {
    this.state.start(plan);
  }

  minted(domain: string, minted: number): void {
    this.state.domain = domain;
    this.state.perDomain.set(domain, minted);
    this.draw();
  }

  written(ledger: string, _domain: string, count: number): void {
    this.state.written.set(ledger, (this.state.written.get(ledger) ?? 0) + count);
    this.draw();
  }

  verifying(ledgers: readonly string[], done: boolean): void {
    this.state.verifying = ledgers;
    this.state.verified = done;
    this.draw();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.multi === undefined) return;
    this.draw(true);
    this.multi.stop();
  }

  private draw(force = false): void {
    const s = this.state;
    if (this.stopped && !force) return;
    if (this.multi === undefined) {
      if (s.elapsedMs < (this.options.quietMs ?? 1500)) return;
      this.multi = new MultiBar(
        { stream: this.options.stream, format: ' {name} |{bar}| {percentage}% {done}/{all} {info}', hideCursor: true, clearOnComplete: false, fps: 5, autopadding: true, barsize: 28 },
        Presets.shades_classic,
      );
      this.bars.set('minted', this.multi.create(s.total, 0, { name: 'minted'.padEnd(10), done: '0', all: formatCount(s.total), info: '' }));
      for (const l of s.plan.ledgers) this.bars.set(l, this.multi.create(s.total, 0, { name: l.padEnd(10), done: '0', all: formatCount(s.total), info: '' }));
    }
    const eta = s.etaMs;
    const domain = s.domain === '' ? '' : `${s.domain} ${formatCount(s.perDomain.get(s.domain) ?? 0)}/${formatCount(s.plan.idsPerDomain)}`;
    this.bars.get('minted')?.update(s.minted, { done: formatCount(s.minted), info: `${formatCount(s.rate)} IDs/s${eta === undefined || s.minted >= s.total ? '' : ` ETA ${formatDuration(eta)}`}  ${domain}` });
    for (const [l, n] of s.written) {
      const phase = s.verifying.includes(l) ? (s.verified ? 'verified' : 'verifying…') : 'written';
      this.bars.get(l)?.update(n, { done: formatCount(n), info: phase });
    }
  }
}
