import { UsageError, type DomainName } from '../model/index.js';
import { redactUrl } from '../stores/index.js';
import { defaultCatalog, type DomainCatalog } from '../spec/index.js';
import { IdLocator } from './id-locator.js';
import { keySpaceOf } from './key-space.js';
import { ownerOf, type OwnerSource } from './owner-source.js';
import { Pacer } from './pacer.js';
import { ReadOnlyRedis } from './read-only-redis.js';
import type { Bulks } from './resp-bulks.js';
import { READ_TYPES, readKeys, type KeyRead } from './redis-key-reader.js';
import { redisMasters } from './redis-masters.js';
import type { ScanProgress, ScanResult } from './scan-result.js';
import { ScanTally, type ObservedKey } from './scan-tally.js';

const API = 'idgate scan redis';

/** Options of {@link scanRedis}. */
export interface RedisScanOptions {
  /**
   * `redis://[user:password@]host:port`: a standalone server or any node of a cluster. Required.
   * `rediss://…` connects over TLS, verifying the certificate against `?ca=<pem file>` in the URL,
   * else the file `IDGATE_REDIS_CA` names, else Node's CAs.
   */
  readonly url: string;
  /** SCAN's MATCH glob, e.g. `session:*`. Required: a scan never defaults to every key. */
  readonly match: string;
  /** Where each key's owner comes from. Default: none (no multi-owner or shared-tag checks). */
  readonly ownerFrom?: OwnerSource;
  /** Only IDs of these domains are checked. Default: every domain of the catalog with a literal prefix. */
  readonly domains?: readonly DomainName[];
  /** Default: {@link defaultCatalog}. */
  readonly catalog?: DomainCatalog;
  /** Keys per second at most, over all masters; 0: no cap. Default: 20 000. */
  readonly rate?: number;
  /** SCAN's COUNT hint, 1–10 000. Default: 1 000. */
  readonly count?: number;
  /** Elements read per hash, set, sorted set or list at most. Default: 10 000. */
  readonly maxElements?: number;
  /** IDs quoted per finding. Default: 10. */
  readonly maxExamples?: number;
  /** Called after every SCAN call. Default: none. */
  readonly onProgress?: (p: ScanProgress) => void;
}

function validate(o: RedisScanOptions): void {
  let u: URL;
  try {
    u = new URL(o.url);
  } catch {
    throw new UsageError('IDGATE_SCAN_URL', `${API}: --url is missing or not a URL`, 'give the server explicitly: --url redis://<user>:<password>@<host>:<port>');
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new UsageError('IDGATE_SCAN_URL', `${API}: --url ${redactUrl(o.url)} is not a redis:// or rediss:// URL`, 'use redis://<user>:<password>@<host>:<port>, or rediss://…?ca=<ca.pem> for TLS');
  }
  if (typeof o.match !== 'string' || o.match === '') {
    throw new UsageError('IDGATE_SCAN_MATCH', `${API}: --match is missing`, "name the keys to scan, e.g. --match 'session:*' (use --match '*' for every key)");
  }
  const count = o.count ?? 1000;
  if (!Number.isInteger(count) || count < 1 || count > 10_000) throw new UsageError('IDGATE_SCAN_COUNT', `${API}: --count ${count} is not a whole number from 1 to 10000`, 'leave it out (1000) or pass e.g. --count 500');
  const rate = o.rate ?? 20_000;
  if (!Number.isFinite(rate) || rate < 0) throw new UsageError('IDGATE_SCAN_RATE', `${API}: --rate ${rate} is not a number of keys per second`, 'pass e.g. --rate 20000, or --rate 0 for no cap');
  const max = o.maxElements ?? 10_000;
  if (!Number.isInteger(max) || max < 1) throw new UsageError('IDGATE_SCAN_MAX_ELEMENTS', `${API}: maxElements ${max} is not a positive whole number`, 'pass e.g. 10000');
}

/** SCAN pages read ahead of the checks: while the checks run over one page, Redis serves the next. */
const LOOKAHEAD = 3;

/**
 * The keys of one server, page by page: `SCAN cursor MATCH … COUNT …` calls chained on their
 * cursors, each page's keys read ({@link readKeys}) as soon as its SCAN answers, up to
 * {@link LOOKAHEAD} pages ahead of the consumer; pages come out in SCAN order. The pacer is asked
 * before every SCAN.
 */
async function* scanPages(conn: ReadOnlyRedis, match: string, count: number, maxElements: number, pacer: Pacer, oneCommand: boolean): AsyncGenerator<KeyRead[]> {
  let cursor = '0';
  let ended = false;
  let chain: Promise<unknown> = Promise.resolve();
  const scanOnce = async (): Promise<Bulks> => {
    await pacer.take(count);
    const reply = await conn.scan(cursor, match, count);
    cursor = reply.cursor;
    if (cursor === '0') ended = true;
    return reply.keys;
  };
  const queue: Promise<KeyRead[]>[] = [];
  const issue = () => {
    const scanned = chain.then(scanOnce);
    chain = scanned;
    const read = scanned.then((keys) => (keys.count === 0 ? [] : readKeys(conn, keys, maxElements, oneCommand)));
    // Rejections surface when the page is awaited; keep them from counting as unhandled meanwhile.
    read.catch(() => undefined);
    queue.push(read);
  };
  issue();
  while (queue.length > 0) {
    // Issue more only while the last SCAN issued may not be the final one.
    const page = await queue.shift()!;
    while (!ended && queue.length < LOOKAHEAD) {
      await chain;
      if (ended) break;
      issue();
    }
    yield page;
  }
}

/**
 * Scans a Redis server (every master of a cluster) read-only: SCAN with MATCH and a bounded
 * COUNT (never KEYS), at most `rate` keys per second, then MGET (GET per key on a cluster), and
 * TYPE and HSCAN/SSCAN/ZSCAN/LRANGE for keys that are not strings; no other command is ever sent. The IDs located in key names and values go through
 * {@link ScanTally}'s checks. Connect as an ACL user without write permissions (docs/scan.md).
 */
export async function scanRedis(o: RedisScanOptions): Promise<ScanResult> {
  validate(o);
  const t0 = performance.now();
  const catalog = o.catalog ?? defaultCatalog();
  const locator = new IdLocator(catalog, o.domains === undefined ? {} : { domains: o.domains });
  const count = o.count ?? 1000;
  const pacer = new Pacer(o.rate ?? 20_000);
  const maxElements = o.maxElements ?? 10_000;
  const stats = { masters: 0, dbsize: 0, scanCalls: 0, keys: 0, truncatedKeys: 0, unreadKeys: 0 };

  let tally = new ScanTally({ catalog, source: 'redis-scan', maxExamples: o.maxExamples ?? 10 });
  const seed = await ReadOnlyRedis.open(o.url);
  const open: ReadOnlyRedis[] = [seed];
  try {
    const masters = await redisMasters(o.url, seed);
    const conns: ReadOnlyRedis[] = [];
    for (const m of masters) {
      const c = masters.length === 1 ? seed : await ReadOnlyRedis.open(m.url);
      if (c !== seed) open.push(c);
      conns.push(c);
    }
    const sizes = await Promise.all(conns.map((c) => c.call('DBSIZE')));
    stats.masters = masters.length;
    stats.dbsize = sizes.reduce<number>((a, s) => a + Number(s), 0);
    // Keys usually hold an ID or two: size the ID table for that, so it is rarely rebuilt on the way.
    tally = new ScanTally({ catalog, source: 'redis-scan', maxExamples: o.maxExamples ?? 10, expectedIds: 2 * stats.dbsize, keySpaceOf: (key) => keySpaceOf(key, locator.locate(key), o.ownerFrom) });
    let finished = 0;
    for (const [m, conn] of conns.entries()) {
      const size = Number(sizes[m]);
      let examined = 0;
      for await (const page of scanPages(conn, o.match, count, maxElements, pacer, !masters[m]!.cluster)) {
        stats.scanCalls++;
        examined = Math.min(size, examined + count);
        const observed: ObservedKey[] = [];
        for (const read of page) {
          stats.keys++;
          if (read.truncated) stats.truncatedKeys++;
          if (!READ_TYPES.has(read.type) && read.type !== 'none') stats.unreadKeys++;
          const inName = locator.locate(read.key);
          const inValue = read.strings.length === 1 ? locator.locate(read.strings[0]!) : read.strings.flatMap((s) => locator.locate(s));
          const owner = o.ownerFrom === undefined ? undefined : ownerOf(o.ownerFrom, read);
          observed.push({ key: read.key, owner, inName, inValue });
        }
        tally.observeKeys(observed);
        o.onProgress?.({ done: finished + examined, total: stats.dbsize, unit: 'keys', elapsedMs: performance.now() - t0 });
      }
      finished += size;
    }
  } finally {
    for (const c of open) c.close();
  }
  return {
    findings: tally.findings(),
    users: tally.users,
    stats: { ...stats, keysWithoutOwner: tally.keysWithoutOwner, idOccurrences: tally.occurrences, distinctIds: tally.distinctIds },
    domains: locator.domains,
    wallMs: performance.now() - t0,
  };
}
