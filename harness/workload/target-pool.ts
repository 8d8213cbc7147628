import type { Finding } from '../model/index.js';
import type { StartedTarget, TargetOutcome } from '../targets/index.js';

/** Thrown inside the flow when the target failed; its finding is already recorded. */
export class TargetFailed extends Error {
  constructor() {
    super('TargetPool: the target failed; see its target-failure finding');
  }
}

/**
 * The target instances of one golden-flow execution, one per worker, with a restart that
 * waits until no call is in flight on that worker and holds new calls until the fresh
 * instance is up. Every `target-failure` finding (from calls and from stopping) is kept.
 */
export class TargetPool {
  readonly findings: Finding[] = [];
  readonly #start: (worker: number) => Promise<TargetOutcome<StartedTarget>>;
  readonly #workers: StartedTarget[] = [];
  readonly #inFlight: number[] = [];
  readonly #gates: (Promise<void> | undefined)[] = [];
  readonly #idle: (() => void)[][] = [];
  restarts = 0;

  private constructor(start: (worker: number) => Promise<TargetOutcome<StartedTarget>>) {
    this.#start = start;
  }

  /** Starts `count` instances; undefined (with the finding kept in `findings` of the returned failure) when one fails. */
  static async start(count: number, start: (worker: number) => Promise<TargetOutcome<StartedTarget>>): Promise<TargetPool> {
    const pool = new TargetPool(start);
    for (let w = 0; w < count; w++) {
      const t = await start(w);
      if (!t.ok) {
        pool.findings.push(t.finding);
        await pool.stop();
        throw new TargetFailed();
      }
      pool.#workers.push(t.value);
      pool.#inFlight.push(0);
      pool.#gates.push(undefined);
      pool.#idle.push([]);
    }
    return pool;
  }

  get size(): number {
    return this.#workers.length;
  }

  /** Worker 0's instance, for its name and declared rules. */
  get first(): StartedTarget {
    return this.#workers[0]!;
  }

  /** Calls `fn` on worker `w`'s instance; a failure is recorded and thrown as {@link TargetFailed}. */
  async call<T>(w: number, fn: (t: StartedTarget) => Promise<TargetOutcome<T>>): Promise<T> {
    while (this.#gates[w] !== undefined) await this.#gates[w];
    if (this.findings.length > 0) throw new TargetFailed();
    this.#inFlight[w]!++;
    try {
      const r = await fn(this.#workers[w]!);
      if (r.ok) return r.value;
      if (!this.findings.includes(r.finding)) this.findings.push(r.finding);
      throw new TargetFailed();
    } finally {
      if (--this.#inFlight[w]! === 0) for (const f of this.#idle[w]!.splice(0)) f();
    }
  }

  /** Replaces worker `w` by a fresh instance (a deploy or crash mid-run). */
  async restart(w: number): Promise<void> {
    if (this.#gates[w] !== undefined) return;
    let open: () => void = () => undefined;
    this.#gates[w] = new Promise<void>((r) => (open = r));
    try {
      if (this.#inFlight[w]! > 0) await new Promise<void>((r) => this.#idle[w]!.push(r));
      await this.#stopOne(this.#workers[w]!);
      const fresh = await this.#start(w);
      if (!fresh.ok) {
        this.findings.push(fresh.finding);
        throw new TargetFailed();
      }
      this.#workers[w] = fresh.value;
      this.restarts++;
    } finally {
      this.#gates[w] = undefined;
      open();
    }
  }

  /** Stops every instance, keeping their findings. */
  async stop(): Promise<void> {
    await Promise.all(this.#workers.map((t) => this.#stopOne(t)));
  }

  async #stopOne(t: StartedTarget): Promise<void> {
    const stopped = await t.stop();
    for (const f of stopped.findings) if (!this.findings.includes(f)) this.findings.push(f);
  }
}
