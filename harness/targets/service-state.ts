import type { Redis } from 'ioredis';
import { ioredisClient } from '../stores/index.js';
import type { ServiceStateSpec } from './service-spec.js';

/** A key of the service's state and the ID (of `domain`) it names. */
export interface StateKeyRef {
  readonly key: string;
  readonly domain: string;
  readonly id: string;
}

/** `chat:user:*:conn:{ws_conn}` → a regex capturing the ID, and its domain. */
function templateRegex(template: string): { re: RegExp; domain: string } {
  const m = /\{([a-z][a-z0-9_]*)\}/.exec(template)!;
  const glob = (s: string) => s.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return { re: new RegExp(`^${glob(template.slice(0, m.index))}(.+?)${glob(template.slice(m.index + m[0].length))}$`, 's'), domain: m[1]! };
}

/**
 * Read-only view of a service's state in its Redis: SCAN MATCH of its key space (never KEYS),
 * each key read back to the ID it names through the configured templates. Only SCAN and EXISTS are sent.
 */
export class ServiceState {
  readonly #redis: Redis;
  readonly #spec: ServiceStateSpec;
  readonly #templates: readonly { re: RegExp; domain: string }[];

  private constructor(redis: Redis, spec: ServiceStateSpec) {
    this.#redis = redis;
    this.#spec = spec;
    this.#templates = spec.keys.map(templateRegex);
  }

  /** Connects to the service's Redis (bounded by `timeoutMs`); rejects with the reason. */
  static async connect(spec: ServiceStateSpec, timeoutMs: number): Promise<ServiceState> {
    const redis = await ioredisClient(spec.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: timeoutMs, commandTimeout: timeoutMs, enableOfflineQueue: false });
    try {
      await redis.connect();
    } catch (e) {
      redis.disconnect();
      throw e;
    }
    return new ServiceState(redis, spec);
  }

  /** The domains the templates name. */
  get domains(): readonly string[] {
    return this.#templates.map((t) => t.domain);
  }

  /** The ID a key names, by the first template that matches it. */
  refOf(key: string): StateKeyRef | undefined {
    for (const t of this.#templates) {
      const m = t.re.exec(key);
      if (m !== null) return { key, domain: t.domain, id: m[1]! };
    }
    return undefined;
  }

  /** Every key of the key space that a template names. */
  async scan(): Promise<StateKeyRef[]> {
    const out: StateKeyRef[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await this.#redis.scan(cursor, 'MATCH', this.#spec.match, 'COUNT', 10_000);
      cursor = next;
      for (const k of keys) {
        const ref = this.refOf(k);
        if (ref !== undefined) out.push(ref);
      }
    } while (cursor !== '0');
    return out;
  }

  /** How many of `keys` exist (EXISTS, pipelined one key each so a cluster could answer it too). */
  async countExisting(keys: readonly string[]): Promise<number> {
    if (keys.length === 0) return 0;
    const pipe = this.#redis.pipeline();
    for (const k of keys) pipe.exists(k);
    const replies = (await pipe.exec()) ?? [];
    let n = 0;
    for (const [err, v] of replies) {
      if (err !== null) throw err;
      n += Number(v);
    }
    return n;
  }

  close(): void {
    this.#redis.disconnect();
  }
}
