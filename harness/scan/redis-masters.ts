import { RespErrorReply } from '../ledger/index.js';
import { ReadOnlyRedis, replyError } from './read-only-redis.js';

/** One server the Redis scan iterates: the URL's server, or one master of a cluster. */
export interface RedisMaster {
  /** `redis://[user:pass@]host:port` with the seed URL's credentials. */
  readonly url: string;
  /** `host:port`, for messages. */
  readonly address: string;
  /** True when the server runs in cluster mode (its keys sit in many hash slots). */
  readonly cluster: boolean;
}

/**
 * The masters of the cluster the seed URL's server belongs to, from `CLUSTER NODES` (masters
 * not flagged `fail`, each once), with the seed's credentials; or the seed alone when the server
 * runs without cluster support. A replica holds copies of its master's keys, so scanning only
 * masters sees every key exactly once.
 */
export async function redisMasters(seedUrl: string, seed: ReadOnlyRedis): Promise<RedisMaster[]> {
  const u = new URL(seedUrl);
  const [reply] = await seed.send([['CLUSTER', 'NODES']]);
  if (reply instanceof RespErrorReply) {
    if (/cluster support disabled/i.test(reply.message)) return [{ url: seedUrl, address: `${u.hostname}:${u.port || '6379'}`, cluster: false }];
    throw replyError(seed.where, 'CLUSTER NODES', reply);
  }
  const text = Buffer.isBuffer(reply) ? reply.toString('utf8') : typeof reply === 'string' ? reply : '';
  return parseClusterNodes(text).map((address) => {
    const m = new URL(seedUrl);
    const colon = address.lastIndexOf(':');
    m.hostname = address.slice(0, colon);
    m.port = address.slice(colon + 1);
    m.pathname = '';
    return { url: m.toString(), address, cluster: true };
  });
}

/**
 * The `host:port` of every live master in a `CLUSTER NODES` reply
 * (`<id> <ip:port@cport[,hostname]> <flags> <master> …`), sorted and each once.
 */
export function parseClusterNodes(text: string): string[] {
  const out = new Set<string>();
  for (const line of text.split('\n')) {
    const cols = line.trim().split(' ');
    if (cols.length < 3) continue;
    const flags = cols[2]!.split(',');
    if (!flags.includes('master') || flags.includes('fail') || flags.includes('noaddr')) continue;
    const addr = cols[1]!.split('@')[0]!;
    if (addr === '' || addr.endsWith(':0')) continue;
    out.add(addr.startsWith('[') || addr.split(':').length === 2 ? addr : `[${addr.slice(0, addr.lastIndexOf(':'))}]${addr.slice(addr.lastIndexOf(':'))}`);
  }
  return [...out].sort();
}
