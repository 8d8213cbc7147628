import type { IngestSample } from '../../report/index.js';

/** Options of {@link IngestSeries}. */
export interface IngestSeriesOptions {
  /** Least time between samples at first. Default: 250 ms. */
  readonly intervalMs?: number;
  /** Samples kept at most; past that, every other one is dropped and the interval doubles. Default: 400. */
  readonly maxSamples?: number;
}

/**
 * The ingest time series of a run: IDs minted and written per ledger, sampled at a bounded
 * rate so a 15-minute run and a 2-second run both give a few hundred points.
 */
export class IngestSeries {
  private readonly samples: IngestSample[] = [];
  private interval: number;
  private readonly max: number;

  constructor(options: IngestSeriesOptions = {}) {
    this.interval = options.intervalMs ?? 250;
    this.max = options.maxSamples ?? 400;
  }

  /** Records a sample when the last is at least the interval old (or `force`). */
  record(tMs: number, minted: number, written: ReadonlyMap<string, number>, force = false): void {
    const last = this.samples.at(-1);
    if (!force && last !== undefined && tMs - last.tMs < this.interval) return;
    this.samples.push({ tMs: Math.round(tMs), minted, written: Object.fromEntries(written) });
    if (this.samples.length > this.max) {
      const kept = this.samples.filter((_, i) => i % 2 === 0 || i === this.samples.length - 1);
      this.samples.splice(0, this.samples.length, ...kept);
      this.interval *= 2;
    }
  }

  /** The samples so far, oldest first. */
  points(): readonly IngestSample[] {
    return this.samples;
  }
}
