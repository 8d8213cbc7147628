import { createIdBatch, type DomainName, type Finding, type ObservedBatch } from '../model/index.js';
import type { DomainCatalog } from '../spec/index.js';
import type { GenerateContext, StartedTarget, TargetOutcome } from '../targets/index.js';
import type { Profile } from './profile.js';

/** Operation slugs the workload asks for; some hold the separator `_` on purpose. */
export const WORKLOAD_OPS = ['chat', 'code_review', 'search', 'support_ticket', 'summarize'] as const;

/** Options of {@link runWorkload}. */
export interface WorkloadOptions {
  /** Starts target instance `worker` (called again for a restart). */
  readonly startTarget: (worker: number) => Promise<TargetOutcome<StartedTarget>>;
  /**
   * Starts a second system that reads the same IDs (its own validator and parser), e.g. a
   * backend's ID manager beside an auth service's generator. Every batch is read by it too.
   */
  readonly startPeer?: () => Promise<TargetOutcome<StartedTarget>>;
  readonly catalog: DomainCatalog;
  readonly profile: Profile;
  /** The run's user table; owner i is `users[i]`. */
  readonly users: readonly string[];
  /** Receives every batch once minted (and read back by the target's validator/parser). */
  readonly sink: (observed: ObservedBatch) => Promise<void>;
  /** Called once, when the first instance has started (before any batch), e.g. to read its extraction rules. */
  readonly onStarted?: (first: StartedTarget) => void;
  /** Called after each batch is handed to the sink. */
  readonly onProgress?: (domain: DomainName, minted: number, total: number) => void;
  /** Batches handed to the sink and not yet written, at most. Default 4. */
  readonly maxInFlight?: number;
  /**
   * Mint only this shard's part of the run (`--shard i/N`): the users `u` with `u mod count =
   * index`, through this shard's own `profile.workers` instances numbered `index × workers + w`,
   * so N shards of one seed together mint exactly what one unsharded run mints. Default: all.
   */
  readonly shard?: { readonly index: number; readonly count: number };
}

/** What a workload did. */
export interface WorkloadFacts {
  readonly domains: readonly { readonly domain: DomainName; readonly minted: number; readonly batches: number }[];
  /** `target-failure` findings (from calls and from stopping each instance); after one the workload stops. */
  readonly findings: readonly Finding[];
  /** The target's declared extraction rules (from worker 0). */
  readonly extractionRules: StartedTarget['extractionRules'];
  readonly targetName: string;
  readonly workers: number;
  readonly restarts: number;
  readonly wallMs: number;
}

/**
 * Mints the profile's IDs through `profile.workers` target instances side by side, domain by
 * domain with parents first, each user served by worker `user % workers`, and hands each batch
 * to `sink` with the real parents and the target's own reading of the IDs. Halfway through the
 * first domain worker 0 is replaced by a fresh instance when the profile says so. Coupled thread/run/request IDs from
 * `userContext` follow. A target failure ends the workload: its finding is returned, never
 * thrown; a sink that fails ends it too, and its error is thrown once every instance has
 * stopped (the caller turns it into an infrastructure finding).
 */
export async function runWorkload(options: WorkloadOptions): Promise<WorkloadFacts> {
  const { catalog, profile, users, sink } = options;
  const t0 = performance.now();
  const findings: Finding[] = [];
  const facts = new Map<DomainName, { minted: number; batches: number }>();
  const inFlight = new Set<Promise<void>>();
  const maxInFlight = options.maxInFlight ?? 4;
  const parentOf = new Map<DomainName, DomainName>();
  for (const r of catalog.relations) if (r.kind === 'embeds') parentOf.set(r.from, r.to);
  const domains = orderDomains(profile.domains ?? catalog.domains, parentOf);
  const isParent = new Set(parentOf.values());
  // The first ID of each parent domain minted for each user: children of user u embed it.
  const firstOf = new Map<DomainName, string[]>();
  const workers: StartedTarget[] = [];
  let peer: StartedTarget | undefined;
  let restarts = 0;
  // A sink (ledger or check) that failed: the workload stops and rethrows it to the caller.
  let sinkError: { error: unknown } | undefined;
  const shard = options.shard;
  // The users this process mints for, in order; worker w serves own[w], own[w + workers], …
  const own = shard === undefined ? users.map((_, u) => u) : users.flatMap((_, u) => (u % shard.count === shard.index ? [u] : []));
  const workerBase = shard === undefined ? 0 : shard.index * profile.workers;

  const unwrap = <T>(o: TargetOutcome<T>): T | undefined => {
    if (o.ok) return o.value;
    findings.push(o.finding);
    return undefined;
  };
  const stopWorker = async (w: StartedTarget) => {
    const stopped = await w.stop();
    for (const f of stopped.findings) if (!findings.includes(f)) findings.push(f);
  };

  const emit = async (target: StartedTarget, worker: number, domain: DomainName, batchId: string, ids: readonly string[], owner: number, parents?: readonly string[]) => {
    const valid = target.capabilities.validate ? unwrap(await target.validate(domain, ids)) : undefined;
    const views = target.capabilities.parse ? unwrap(await target.parse(domain, ids)) : undefined;
    const peerReading =
      peer === undefined
        ? undefined
        : {
            target: peer.name,
            valid: peer.capabilities.validate ? unwrap(await peer.validate(domain, ids)) : undefined,
            views: peer.capabilities.parse ? unwrap(await peer.parse(domain, ids)) : undefined,
          };
    if (findings.length > 0) return false;
    const batch = createIdBatch({ batchId, domain, ids, owners: owner, worker, times: new Float64Array(ids.length).fill(Date.now()) });
    const observed: ObservedBatch = { batch, target: target.name, parents, parentDomain: parents === undefined ? undefined : parentOf.get(domain), valid, views, peer: peerReading };
    while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
    if (sinkError !== undefined) throw sinkError.error;
    const p: Promise<void> = sink(observed)
      .catch((error: unknown) => {
        sinkError ??= { error };
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
    const f = facts.get(domain) ?? { minted: 0, batches: 0 };
    f.minted += ids.length;
    f.batches++;
    facts.set(domain, f);
    return true;
  };

  /** Mints `domain` for the users of worker `w`; false once the target failed. */
  const mintFor = async (w: number, domain: DomainName, mine: string[], progress: { minted: number }, restartHalfway: boolean): Promise<boolean> => {
    let target = workers[w]!;
    const parentDomain = parentOf.get(domain);
    const total = profile.idsPerDomain;
    for (let k = w; k < own.length; k += workers.length) {
      const u = own[k]!;
      if (restartHalfway && k >= own.length / 2) {
        // A deploy or crash: the instance is replaced while the same domain is being minted,
        // so a generator that replays its sequence after a restart repeats its own IDs.
        restartHalfway = false;
        await stopWorker(target);
        const fresh = unwrap(await options.startTarget(workerBase + w));
        if (fresh === undefined) return false;
        workers[w] = target = fresh;
        restarts++;
      }
      let left = Math.floor(total / users.length) + (u < total % users.length ? 1 : 0);
      for (let chunk = 0; left > 0; chunk++) {
        if (findings.length > 0) return false;
        const count = Math.min(left, profile.batchSize);
        const parent = parentDomain === undefined ? undefined : firstOf.get(parentDomain)?.[u];
        const context: GenerateContext = {
          user: users[u],
          op: WORKLOAD_OPS[(u + chunk) % WORKLOAD_OPS.length],
          parents: parentDomain === undefined || parent === undefined ? undefined : { [parentDomain]: parent },
        };
        const ids = unwrap(await target.generate(domain, context, count));
        if (ids === undefined) return false;
        mine[u] ??= ids[0]!;
        const parents = parent === undefined ? undefined : new Array<string>(count).fill(parent);
        if (!(await emit(target, w, domain, `${domain}.u${u}.c${chunk}.r${restarts}`, ids, u, parents))) return false;
        left -= count;
        progress.minted += count;
        options.onProgress?.(domain, progress.minted, total);
      }
    }
    return true;
  };

  try {
    for (let w = 0; w < profile.workers; w++) {
      const t = unwrap(await options.startTarget(workerBase + w));
      if (t === undefined) return await finish();
      workers.push(t);
      if (w === 0) options.onStarted?.(t);
    }
    if (options.startPeer !== undefined) {
      peer = unwrap(await options.startPeer());
      if (peer === undefined) return await finish();
    }
    for (let i = 0; i < domains.length; i++) {
      const domain = domains[i]!;
      const mine: string[] = [];
      const progress = { minted: 0 };
      const ok = await Promise.all(workers.map((_, w) => mintFor(w, domain, mine, progress, profile.restartMidRun && i === 0 && w === 0)));
      if (!ok.every(Boolean)) return await finish();
      if (isParent.has(domain)) firstOf.set(domain, mine);
    }

    // Coupled contexts: the thread, run and request the target mints together for one operation.
    if (profile.contextsPerUser > 0 && ['thread', 'run', 'request'].every((d) => catalog.has(d))) {
      for (let k = 0; k < own.length; k++) {
        const u = own[k]!;
        const w = k % workers.length;
        const target = workers[w]!;
        const threads: string[] = [];
        const runs: string[] = [];
        const requests: string[] = [];
        for (let k = 0; k < profile.contextsPerUser; k++) {
          const ctx = unwrap(await target.userContext(users[u]!, WORKLOAD_OPS[(u + k) % WORKLOAD_OPS.length]!));
          if (ctx === undefined) return await finish();
          threads.push(ctx.thread);
          runs.push(ctx.run);
          requests.push(ctx.request);
        }
        if (!(await emit(target, w, 'thread', `ctx.thread.u${u}`, threads, u))) break;
        if (!(await emit(target, w, 'run', `ctx.run.u${u}`, runs, u, threads))) break;
        if (!(await emit(target, w, 'request', `ctx.request.u${u}`, requests, u, runs))) break;
      }
    }
    return await finish();
  } finally {
    await Promise.allSettled(inFlight);
  }

  async function finish(): Promise<WorkloadFacts> {
    const rules = workers[0]?.extractionRules ?? [];
    const name = workers[0]?.name ?? 'target';
    await Promise.all([...workers, ...(peer === undefined ? [] : [peer])].map(stopWorker));
    await Promise.all(inFlight);
    if (sinkError !== undefined) throw sinkError.error;
    return {
      domains: [...facts].map(([domain, f]) => ({ domain, ...f })),
      findings,
      extractionRules: rules,
      targetName: name,
      workers: workers.length,
      restarts,
      wallMs: performance.now() - t0,
    };
  }
}

/** `wanted` plus the parents they embed, parents before children, otherwise in given order. */
function orderDomains(wanted: readonly DomainName[], parentOf: ReadonlyMap<DomainName, DomainName>): DomainName[] {
  const out: DomainName[] = [];
  const visit = (d: DomainName, depth: number) => {
    if (out.includes(d) || depth > 32) return;
    const p = parentOf.get(d);
    if (p !== undefined) visit(p, depth + 1);
    out.push(d);
  };
  for (const d of wanted) visit(d, 0);
  return out;
}
