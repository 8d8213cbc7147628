/**
 * Caps a rate: `await pacer.take(n)` returns once taking `n` more units keeps the total at or
 * under `perSecond` since the pacer was made (a rate of 0 means no cap). One pacer shared by
 * several loops caps their sum.
 */
export class Pacer {
  private taken = 0;
  private readonly start: number;

  constructor(
    /** Units per second; 0: unlimited. */
    readonly perSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.start = now();
  }

  /** Waits until `n` more units fit under the cap, then counts them. */
  async take(n: number): Promise<void> {
    this.taken += n;
    if (this.perSecond <= 0) return;
    const due = this.start + (this.taken / this.perSecond) * 1000;
    const wait = due - this.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
  }
}
