import { formatCount, formatDuration } from '../../report/index.js';
import type { GatePlan } from './gate-progress.js';

/**
 * The numbers behind a progress display: IDs minted in all and per domain, written per ledger,
 * rate since the start and the estimated time left. One instance per run.
 */
export class ProgressState {
  plan: GatePlan = { domains: [], idsPerDomain: 0, ledgers: [] };
  readonly perDomain = new Map<string, number>();
  readonly written = new Map<string, number>();
  domain = '';
  verifying: readonly string[] = [];
  verified = false;
  private t0 = performance.now();

  constructor(private readonly now: () => number = () => performance.now()) {
    this.t0 = now();
  }

  start(plan: GatePlan): void {
    this.plan = plan;
    this.t0 = this.now();
    for (const l of plan.ledgers) this.written.set(l, 0);
  }

  /** Planned IDs over all domains. */
  get total(): number {
    return this.plan.domains.length * this.plan.idsPerDomain;
  }

  get minted(): number {
    let s = 0;
    for (const n of this.perDomain.values()) s += n;
    return s;
  }

  get elapsedMs(): number {
    return this.now() - this.t0;
  }

  /** IDs minted per second since the start. */
  get rate(): number {
    const s = this.elapsedMs / 1000;
    return s > 0 ? this.minted / s : 0;
  }

  /** Milliseconds left at the current rate; undefined before there is a rate. */
  get etaMs(): number | undefined {
    const r = this.rate;
    if (r <= 0) return undefined;
    return (Math.max(0, this.total - this.minted) / r) * 1000;
  }

  /** One line: minted, current domain, written per ledger, rate, ETA. */
  line(): string {
    const pct = this.total > 0 ? ` (${Math.floor((100 * this.minted) / this.total)}%)` : '';
    const dom = this.domain === '' ? '' : ` · ${this.domain} ${formatCount(this.perDomain.get(this.domain) ?? 0)}/${formatCount(this.plan.idsPerDomain)}`;
    const written = [...this.written].map(([l, n]) => `${l} ${formatCount(n)}`).join(', ');
    const eta = this.etaMs;
    const phase = this.verifying.length > 0 ? ` · ${this.verified ? 'verified' : 'verifying'} ${this.verifying.join(', ')}` : '';
    return `minted ${formatCount(this.minted)}/${formatCount(this.total)}${pct}${dom} · written ${written || '—'} · ${formatCount(this.rate)} IDs/s${eta === undefined || this.minted >= this.total ? '' : ` · ETA ${formatDuration(eta)}`}${phase}`;
  }
}
