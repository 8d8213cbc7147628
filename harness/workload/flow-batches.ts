import { validateIdBatch, type DomainName, type IdBatch } from '../model/index.js';

interface Buffer {
  readonly domain: DomainName;
  readonly worker: number;
  readonly ids: string[];
  readonly owners: number[];
  readonly times: number[];
  parents: (string | undefined)[] | undefined;
  parentDomain: DomainName | undefined;
}

/** One buffered batch, ready for the target's validator and parser and then the sink. */
export interface PendingBatch {
  readonly batch: IdBatch;
  readonly parents?: readonly string[];
  readonly parentDomain?: DomainName;
}

/**
 * Collects the IDs the golden flow mints, one buffer per (domain, worker) in minting order,
 * so that hundreds of users' single IDs reach ledgers and checks as a few large batches (one
 * owner and time per ID) rather than thousands of tiny ones.
 */
export class FlowBatches {
  readonly #buffers = new Map<string, Buffer>();
  #minted = 0;

  /** IDs added so far. */
  get minted(): number {
    return this.#minted;
  }

  /** Adds IDs of `domain` minted by `worker` for `owner`, each under `parent` of `parentDomain` when given. */
  add(domain: DomainName, worker: number, owner: number, ids: readonly string[], parent?: { readonly domain: DomainName; readonly id: string }): void {
    const key = `${domain}\u0000${worker}`;
    let b = this.#buffers.get(key);
    if (b === undefined) {
      b = { domain, worker, ids: [], owners: [], times: [], parents: undefined, parentDomain: undefined };
      this.#buffers.set(key, b);
    }
    const now = Date.now();
    if (parent !== undefined && b.parents === undefined) {
      b.parents = new Array<string | undefined>(b.ids.length).fill(undefined);
      b.parentDomain = parent.domain;
    }
    for (const id of ids) {
      b.ids.push(id);
      b.owners.push(owner);
      b.times.push(now);
      b.parents?.push(parent?.id);
    }
    this.#minted += ids.length;
  }

  /**
   * The buffered IDs as batches of at most `maxSize` (batch IDs `<prefix>.<domain>.w<worker>.<n>`),
   * with their worker, and empties the buffers. IDs of a buffer minted without a parent next to
   * ones with (a userContext thread beside a generated one) go in batches of their own.
   */
  drain(prefix: string, maxSize: number): { readonly worker: number; readonly pending: PendingBatch }[] {
    const out: { worker: number; pending: PendingBatch }[] = [];
    for (const b of this.#buffers.values()) {
      let n = 0;
      for (let start = 0; start < b.ids.length; ) {
        const withParent = b.parents?.[start] !== undefined;
        let end = start;
        while (end < b.ids.length && end - start < maxSize && (b.parents?.[end] !== undefined) === withParent) end++;
        const batch: IdBatch = {
          batchId: `${prefix}.${b.domain}.w${b.worker}.${n++}`,
          domain: b.domain,
          ids: b.ids.slice(start, end),
          owners: Uint32Array.from(b.owners.slice(start, end)),
          workers: new Uint16Array(end - start).fill(b.worker),
          sequences: Uint32Array.from({ length: end - start }, (_, i) => start + i),
          times: Float64Array.from(b.times.slice(start, end)),
        };
        validateIdBatch(batch);
        out.push({ worker: b.worker, pending: withParent ? { batch, parents: b.parents!.slice(start, end) as string[], parentDomain: b.parentDomain } : { batch } });
        start = end;
      }
    }
    this.#buffers.clear();
    return out;
  }
}
