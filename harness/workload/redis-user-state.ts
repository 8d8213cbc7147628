import type { Redis } from 'ioredis';
import type { DomainName } from '../model/index.js';
import type { CleanupExercise, StateKey, StateScan, UserCleanup } from '../model/index.js';

const PREFIX = /^[a-z0-9_:]{1,120}$/;

/**
 * A server's per-user state in real Redis, for the cleanup exercise: one key per ID a user
 * holds (`<prefix><id>`, the value the owner's index, with a TTL), a user's cleanup applied as
 * a server applies its declared patterns (SCAN MATCH `<prefix><pattern>`, then UNLINK what
 * matched), and SCANs of the whole namespace. The prefix is the run's own namespace and holds
 * no glob character, so no pattern can reach a key outside it. Redis operations run one at a
 * time, numbered, so the checks know what each SCAN could see.
 */
export class RedisUserState {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #ttl: number;
  readonly #keys: StateKey[] = [];
  readonly #index = new Map<string, number>();
  readonly #cleanups: UserCleanup[] = [];
  readonly #scans: StateScan[] = [];
  #at = 0;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(redis: Redis, prefix: string, ttlSeconds = 3600) {
    if (!PREFIX.test(prefix)) throw new RangeError(`RedisUserState: prefix ${JSON.stringify(prefix)} may hold only a-z, 0-9, _ and :; pass the run's namespace`);
    this.#redis = redis;
    this.#prefix = prefix;
    this.#ttl = ttlSeconds;
  }

  /** Runs `fn` after every earlier operation, numbered. */
  #exclusive<T>(fn: (at: number) => Promise<T>): Promise<T> {
    const next = this.#queue.then(() => fn(this.#at++));
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /** Writes one key per ID of `owner`. */
  write(owner: number, domain: DomainName, ids: readonly string[]): Promise<void> {
    return this.#exclusive(async (at) => {
      const p = this.#redis.pipeline();
      for (const id of ids) {
        if (this.#index.has(id)) continue; // a repeated ID is the ledgers' finding; one key holds one owner
        this.#index.set(id, this.#keys.length);
        this.#keys.push({ id, domain, owner, at });
        p.set(`${this.#prefix}${id}`, String(owner), 'EX', this.#ttl);
      }
      await p.exec();
    });
  }

  /** `owner`'s cleanup with the target's declared `patterns`; returns how many keys it deleted. */
  cleanup(owner: number, patterns: readonly string[]): Promise<number> {
    return this.#exclusive(async (at) => {
      const matched = new Set<number>();
      for (const pattern of patterns) {
        for (const key of await this.#scan(`${this.#prefix}${pattern}`)) {
          const i = this.#index.get(key.slice(this.#prefix.length));
          if (i !== undefined) matched.add(i);
        }
      }
      const doomed = [...matched];
      for (let i = 0; i < doomed.length; i += 500) await this.#redis.unlink(...doomed.slice(i, i + 500).map((k) => `${this.#prefix}${this.#keys[k]!.id}`));
      this.#cleanups.push({ owner, patterns, at, matched: doomed.sort((a, b) => a - b) });
      return doomed.length;
    });
  }

  /** SCANs the whole namespace and records which keys are there. */
  snapshot(): Promise<void> {
    return this.#exclusive(async (at) => {
      const present = new Set<number>(); // SCAN may return a key twice
      for (const key of await this.#scan(`${this.#prefix}*`)) {
        const i = this.#index.get(key.slice(this.#prefix.length));
        if (i !== undefined) present.add(i);
      }
      this.#scans.push({ at, present: [...present].sort((a, b) => a - b) });
    });
  }

  /** Deletes every key of the namespace (the run cleans up after itself). */
  drop(): Promise<void> {
    return this.#exclusive(async () => {
      const keys = await this.#scan(`${this.#prefix}*`);
      for (let i = 0; i < keys.length; i += 500) await this.#redis.unlink(...keys.slice(i, i + 500));
    });
  }

  /** What the exercise did, for the cleanup check. */
  observations(): CleanupExercise {
    return { prefix: this.#prefix, keys: this.#keys, cleanups: this.#cleanups, scans: this.#scans };
  }

  async #scan(match: string): Promise<string[]> {
    const out: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await this.#redis.scan(cursor, 'MATCH', match, 'COUNT', 2000);
      cursor = next;
      out.push(...keys);
    } while (cursor !== '0');
    return out;
  }
}
