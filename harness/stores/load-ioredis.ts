import type { Redis, RedisOptions } from 'ioredis';

/**
 * An ioredis client, the module loaded on first use. Loading ioredis defines a `class … extends
 * String` (its RESP3 decoder's VerbatimString), and from then on V8 runs every loop over
 * `String.prototype.charCodeAt` in the process 2–4× slower: measured on Node 20, the scan's ID
 * hash went from 0.20 to 0.46 µs and its tokenizer from 0.24 to 1.0 µs per key, and `idgate scan
 * redis` from 220–250k to 140–150k keys/s. Such loops are idgate's hot paths (the scan, the
 * checks), so only the code that talks to Redis through ioredis (the golden flow, service
 * state, `idgate clean`) loads it, and only when it does.
 */
export async function ioredisClient(url: string, options: RedisOptions): Promise<Redis> {
  const { Redis: Client } = await import('ioredis');
  return new Client(url, options);
}
