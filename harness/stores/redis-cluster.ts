import { spawn } from 'node:child_process';
import { InfrastructureError, UsageError } from '../model/index.js';
import { ensureBinary } from './ensure-binary.js';
import { LocalServer, type LocalServerRecipe, type StartedLocalServer } from './local-server.js';
import { infoFields, redisClusterQuery } from './redis-cluster-query.js';
import { redisRecipe } from './redis-recipe.js';

const API = 'startRedisCluster';

/** Options of {@link startRedisCluster}. */
export interface RedisClusterOptions {
  /** Masters, which share the 16 384 hash slots; `redis-cli --cluster create` needs at least 3. Default: 3. */
  readonly masters?: number;
  /** Replicas per master. Default: 0. */
  readonly replicas?: number;
  /**
   * Bound on each node answering PING, on `redis-cli --cluster create`, and on every node
   * reporting `cluster_state:ok` (each wait separately). Default: 30 000 ms.
   */
  readonly readyTimeoutMs?: number;
  /** Start the nodes with `--enable-debug-command local` (for `DEBUG DIGEST` in tests). Default: false. */
  readonly enableDebugCommand?: boolean;
  /** More `redis-server` arguments for every node, e.g. `['--maxmemory', '1gb']`. Default: none. */
  readonly serverArgs?: readonly string[];
  /** Install Debian's redis-server / redis-tools when missing (root only). Default: true. */
  readonly install?: boolean;
  /** Where progress lines go. Default: nowhere. */
  readonly log?: (line: string) => void;
}

/** One running node of a {@link StartedRedisCluster}. */
export interface RedisClusterNode {
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  /** The client port on 127.0.0.1. */
  readonly port: number;
  /** The cluster bus port on 127.0.0.1. */
  readonly busPort: number;
  /** The redis-server's pid. */
  readonly pid: number;
  /** Its temporary directory (config, nodes.conf, log); removed by `stop()`. */
  readonly dir: string;
  /** `master` or `replica`, as the node said once the cluster was ready. */
  readonly role: 'master' | 'replica';
}

/**
 * The redis-server recipe of one cluster node: Debian's redis-server on two loopback ports, the
 * client port and the cluster bus port (`cluster-port`, Redis 7+: the default port + 10 000 may
 * be taken or above 65 535), no persistence, the node table in the node's own directory.
 */
export function redisClusterNodeRecipe(options: Pick<RedisClusterOptions, 'enableDebugCommand' | 'serverArgs'> = {}): LocalServerRecipe {
  return {
    ...redisRecipe,
    name: 'redis-cluster-node',
    ports: 2,
    async prepare(dir, ports) {
      return [
        ...(await redisRecipe.prepare(dir, ports)),
        '--cluster-enabled', 'yes',
        '--cluster-port', String(ports[1]),
        '--cluster-config-file', `${dir}/nodes.conf`,
        '--cluster-node-timeout', '5000',
        ...(options.enableDebugCommand === true ? ['--enable-debug-command', 'local'] : []),
        ...(options.serverArgs ?? []),
      ];
    },
  };
}

function validate(o: RedisClusterOptions): { masters: number; replicas: number; timeoutMs: number } {
  const masters = o.masters ?? 3;
  const replicas = o.replicas ?? 0;
  const timeoutMs = o.readyTimeoutMs ?? 30_000;
  if (!Number.isInteger(masters) || masters < 3 || masters > 64) {
    throw new UsageError('IDGATE_CLUSTER_MASTERS', `${API}: masters ${masters} is not a whole number from 3 to 64`, 'pass masters: 3 or more (redis-cli --cluster create needs at least 3 masters)');
  }
  if (!Number.isInteger(replicas) || replicas < 0 || replicas > 4) {
    throw new UsageError('IDGATE_CLUSTER_REPLICAS', `${API}: replicas ${replicas} is not a whole number from 0 to 4`, 'pass replicas: 0 (the default) or 1');
  }
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new UsageError('IDGATE_CLUSTER_TIMEOUT', `${API}: readyTimeoutMs ${timeoutMs} is not a positive number of milliseconds`, 'leave it out (30000) or pass e.g. 60000');
  }
  return { masters, replicas, timeoutMs };
}

/**
 * Starts a Redis Cluster of `masters` × (1 + `replicas`) `redis-server --cluster-enabled yes`
 * processes on free 127.0.0.1 ports (each a {@link LocalServer}, so the reaper and the shutdown
 * hooks stop them if the harness dies), joins them with `redis-cli --cluster create … --cluster-yes`
 * and waits until every node reports `cluster_state:ok`. On any failure every node started is
 * stopped and the error names the node and its log tail.
 */
export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<StartedRedisCluster> {
  const { masters, replicas, timeoutMs } = validate(options);
  const log = options.log ?? (() => undefined);
  const cli = await ensureBinary({ binary: 'redis-cli', debianPackage: 'redis-tools' }, { install: options.install, log });
  const server = new LocalServer(redisClusterNodeRecipe(options));
  const count = masters * (1 + replicas);
  const settled = await Promise.allSettled(Array.from({ length: count }, () => server.start({ readyTimeoutMs: timeoutMs, install: options.install, log })));
  const started = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  try {
    if (failed !== undefined) throw failed.reason;
    const addresses = started.map((n) => `127.0.0.1:${n.ports[0]}`);
    log(`idgate: creating a Redis Cluster of ${masters} master(s) and ${masters * replicas} replica(s) on ${addresses.join(' ')}`);
    await clusterCreate(cli, addresses, replicas, timeoutMs);
    await waitClusterOk(started, count, timeoutMs);
    const nodes = await Promise.all(started.map(async (n) => nodeOf(n)));
    log(`idgate: Redis Cluster ready (${nodes.filter((n) => n.role === 'master').length} masters)`);
    return new StartedRedisCluster(started, nodes);
  } catch (e) {
    await Promise.all(started.map((n) => n.stop()));
    throw e;
  }
}

/** Runs `redis-cli --cluster create`, bounded; a failure carries the tool's output. */
function clusterCreate(cli: string, addresses: readonly string[], replicas: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cli, ['--cluster', 'create', ...addresses, '--cluster-replicas', String(replicas), '--cluster-yes'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (output += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const fail = (why: string) =>
      reject(new InfrastructureError('IDGATE_CLUSTER_CREATE', `${API}: redis-cli --cluster create ${addresses.join(' ')} ${why}; output tail:\n${output.trimEnd().split('\n').slice(-15).join('\n')}`, 'read the output above; raise readyTimeoutMs if the machine is slow'));
    child.on('error', (e) => {
      clearTimeout(timer);
      fail(`could not run (${e.message})`);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0 && /\[OK\] All 16384 slots covered/.test(output)) resolve();
      else fail(signal === 'SIGKILL' ? `did not finish within ${timeoutMs} ms` : `failed (exit ${code ?? signal})`);
    });
  });
}

/** Waits until every node says `cluster_state:ok` and knows all `count` nodes. */
async function waitClusterOk(nodes: readonly StartedLocalServer[], count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const n of nodes) {
    let last = '(no answer)';
    for (;;) {
      const info = await redisClusterQuery(n.ports[0]!, 'CLUSTER INFO').catch((e: unknown) => `error: ${e instanceof Error ? e.message : String(e)}`);
      const f = infoFields(info);
      if (f.get('cluster_state') === 'ok' && f.get('cluster_known_nodes') === String(count) && f.get('cluster_slots_ok') === '16384') break;
      last = `cluster_state:${f.get('cluster_state') ?? '?'} cluster_known_nodes:${f.get('cluster_known_nodes') ?? '?'} cluster_slots_ok:${f.get('cluster_slots_ok') ?? '?'}${info.startsWith('error') ? ` (${info})` : ''}`;
      if (Date.now() > deadline) {
        throw new InfrastructureError(
          'IDGATE_CLUSTER_NOT_READY',
          `${API}: node 127.0.0.1:${n.ports[0]} (pid ${n.pid}) did not reach cluster_state:ok with ${count} known nodes within ${timeoutMs} ms (last: ${last}); log tail:\n${await n.logTail()}`,
          'read the log above; raise readyTimeoutMs if the machine is slow',
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

async function nodeOf(n: StartedLocalServer): Promise<RedisClusterNode> {
  const replication = infoFields(await redisClusterQuery(n.ports[0]!, 'INFO replication'));
  return { url: n.url, port: n.ports[0]!, busPort: n.ports[1]!, pid: n.pid, dir: n.dir, role: replication.get('role') === 'slave' ? 'replica' : 'master' };
}

/** A running local Redis Cluster. `stop()` ends every node and removes their directories. */
export class StartedRedisCluster {
  private stopping: Promise<StoppedRedisCluster> | undefined;

  constructor(
    private readonly servers: readonly StartedLocalServer[],
    /** Every node, masters and replicas, in start order. */
    readonly nodes: readonly RedisClusterNode[],
  ) {}

  /** Every node's URL. */
  get urls(): string[] {
    return this.nodes.map((n) => n.url);
  }

  /** One master's URL: what a cluster client or `idgate scan redis --url` is given. */
  get seedUrl(): string {
    return this.masters[0]!.url;
  }

  /** The masters. */
  get masters(): RedisClusterNode[] {
    return this.nodes.filter((n) => n.role === 'master');
  }

  /** True while every node runs. */
  isRunning(): boolean {
    return this.servers.every((s) => s.isRunning());
  }

  /** Stops every node (SIGTERM, then SIGKILL after the grace) and removes their directories. Idempotent. */
  stop(): Promise<StoppedRedisCluster> {
    this.stopping ??= Promise.all(this.servers.map((s) => s.stop())).then(() => new StoppedRedisCluster(this.nodes.map((n) => n.pid)));
    return this.stopping;
  }
}

/** A cluster that was started and has stopped; nothing can be done with it. */
export class StoppedRedisCluster {
  constructor(
    /** The pids the nodes had. */
    readonly pids: readonly number[],
  ) {}
}
