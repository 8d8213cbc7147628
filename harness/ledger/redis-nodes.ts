import { InfrastructureError } from '../model/index.js';
import { CLUSTER_SLOTS, keySlot } from './redis-key-slot.js';
import { RespConnection, RespErrorReply, type RespConnectionOptions, type RespReply } from './resp-connection.js';
import { encodeCommand } from './resp-encoder.js';

/**
 * The Redis servers a ledger writes to, one {@link RespConnection} per master, and which master
 * serves each hash slot. A standalone Redis is one node serving every slot; a Redis Cluster is
 * detected (not configured): the URL's server answers `INFO cluster` with `cluster_enabled:1`,
 * and `CLUSTER SLOTS` then names the master of every slot range. Any master of a cluster is a
 * valid seed URL; its user, password (and nothing else: clusters have one database) are used
 * for every master.
 *
 * The slot map is read once, at open: a run's keys must not move while it writes (no
 * resharding or failover mid-run). A command that reaches a node no longer serving its slot
 * gets a `MOVED` error reply, which the ledger reports as an infrastructure failure, never
 * retried silently.
 */
export class RedisNodes {
  private constructor(
    /** One connection per master, in `CLUSTER SLOTS` order (one entry for standalone). */
    readonly connections: readonly RespConnection[],
    /** Master index per hash slot (all zeros for standalone). */
    private readonly slotMaster: Uint8Array,
    /** `host:port` of each master, for messages. */
    readonly addresses: readonly string[],
    /** True when the seed is a Redis Cluster node. */
    readonly cluster: boolean,
  ) {}

  /** Connects to the seed URL and, for a cluster, to every master. Bounded by `options`. */
  static async open(url: string, options: RespConnectionOptions): Promise<RedisNodes> {
    const seed = await RespConnection.open(url, options);
    const u = new URL(url);
    const seedHost = u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
    const seedAddress = `${seedHost}:${u.port || 6379}`;
    const opened: RespConnection[] = [seed];
    try {
      const [info] = await seed.request(encodeCommand(['INFO', 'cluster']), 1);
      const enabled = Buffer.isBuffer(info) && /cluster_enabled:1/.test(info.toString('latin1'));
      if (!enabled) return new RedisNodes([seed], new Uint8Array(CLUSTER_SLOTS), [seedAddress], false);
      const [slots] = await seed.request(encodeCommand(['CLUSTER', 'SLOTS']), 1);
      const ranges = parseClusterSlots(slots, seedHost);
      const addresses = [...new Set(ranges.map((r) => r.address))];
      if (addresses.length > 255) throw new Error(`the cluster has ${addresses.length} masters; the ledger routes to at most 255`);
      const slotMaster = new Uint8Array(CLUSTER_SLOTS);
      const covered = new Uint8Array(CLUSTER_SLOTS);
      for (const r of ranges) {
        const m = addresses.indexOf(r.address);
        for (let s = r.start; s <= r.end; s++) {
          slotMaster[s] = m;
          covered[s] = 1;
        }
      }
      const gap = covered.indexOf(0);
      if (gap >= 0) throw new Error(`hash slot ${gap} has no master (cluster_state is not ok)`);
      const connections: RespConnection[] = [];
      for (const address of addresses) {
        const target = new URL(url);
        const colon = address.lastIndexOf(':');
        target.hostname = address.slice(0, colon);
        target.port = address.slice(colon + 1);
        target.pathname = '';
        const c = address === seedAddress ? seed : await RespConnection.open(target.toString(), options);
        if (c !== seed) opened.push(c);
        connections.push(c);
      }
      if (!connections.includes(seed)) seed.close();
      return new RedisNodes(connections, slotMaster, addresses, true);
    } catch (e) {
      for (const c of opened) c.close();
      if (e instanceof InfrastructureError) throw e;
      throw new InfrastructureError('IDGATE_REDIS_TOPOLOGY', `RedisLedger: could not read the Redis Cluster's slot map from ${seedAddress} (${e instanceof Error ? e.message : String(e)})`, 'check that every master is reachable from here and CLUSTER INFO says cluster_state:ok', { cause: e });
    }
  }

  /** Masters (1 for standalone). */
  get size(): number {
    return this.connections.length;
  }

  /** Index of the master serving `slot`. */
  masterOfSlot(slot: number): number {
    return this.slotMaster[slot]!;
  }

  /** The connection of the master serving `key`'s slot. */
  forKey(key: string | Uint8Array): RespConnection {
    return this.connections[this.slotMaster[keySlot(key)]!]!;
  }

  /** Closes every connection. Idempotent. */
  close(): void {
    for (const c of this.connections) c.close();
  }
}

/** The master address of each slot range of a `CLUSTER SLOTS` reply (replicas ignored). */
function parseClusterSlots(reply: RespReply | undefined, seedHost: string): { start: number; end: number; address: string }[] {
  if (reply instanceof RespErrorReply) throw new Error(`CLUSTER SLOTS answered ${reply.message}`);
  if (!Array.isArray(reply) || reply.length === 0) throw new Error('CLUSTER SLOTS answered no slot ranges');
  return reply.map((r) => {
    if (!Array.isArray(r) || typeof r[0] !== 'number' || typeof r[1] !== 'number' || !Array.isArray(r[2])) throw new Error('CLUSTER SLOTS answered an entry that is not [start, end, [host, port, …], …]');
    const [host, port] = r[2];
    // An empty or NULL endpoint means "the host you asked".
    const h = Buffer.isBuffer(host) && host.length > 0 ? host.toString('utf8') : seedHost;
    if (typeof port !== 'number') throw new Error('CLUSTER SLOTS answered a master without a port');
    return { start: r[0], end: r[1], address: `${h}:${port}` };
  });
}
