import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InfrastructureError } from '../model/index.js';
import { ensureBinary } from './ensure-binary.js';
import { unwatchProcess, watchProcess } from './reaper.js';
import { onShutdown } from './shutdown-hooks.js';
import { stopProcessGroup } from './stop-process-group.js';

/** Options of {@link PodmanService.start}. */
export interface PodmanServiceStartOptions {
  /** Install Debian's `podman` and `runc` with apt-get when missing and running as root. Default: true. */
  readonly install?: boolean;
  /** How long the socket may take to answer `_ping`. Default: 15 000 ms. */
  readonly readyTimeoutMs?: number;
  /** Progress lines. Default: stderr. */
  readonly log?: (line: string) => void;
  /**
   * Runs before the service is stopped by a shutdown hook (Ctrl-C, SIGTERM), e.g. to remove the
   * containers served through it. Default: nothing.
   */
  readonly beforeShutdownStop?: () => Promise<unknown>;
}

/*
 * Podman's defaults do not run a container on this kind of machine (Debian 12, root, cgroup v1
 * hybrid mounts): crun cannot set RLIMIT_NOFILE/NPROC and refuses hybrid cgroups. runc with
 * cgroupfs and no default ulimits works. podman reads the file named by CONTAINERS_CONF, so
 * idgate never edits /etc/containers.
 */
const CONTAINERS_CONF = `# Written by idgate for its own podman service; the machine's /etc/containers is untouched.
[containers]
default_ulimits = []

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
`;

/**
 * `podman system service` serving the Docker API on a socket in a temporary directory, for
 * testcontainers on machines without a Docker engine. `start()` gives a {@link StartedPodmanService}.
 */
export class PodmanService {
  /**
   * @param dir directory for the socket, containers.conf and the service's log; must contain
   * `idgate-` so the reaper may remove it. Default: `<tmpdir>/idgate-podman-<pid>`, one per
   * process, because testcontainers keeps the first DOCKER_HOST it sees for the process's life.
   */
  constructor(readonly dir: string = join(tmpdir(), `idgate-podman-${process.pid}`)) {}

  /** Starts the service and waits until its socket answers `_ping`; on failure nothing is left running. */
  async start(options: PodmanServiceStartOptions = {}): Promise<StartedPodmanService> {
    // As verified on this kind of machine: `apt-get install podman runc`, Recommends included
    // (they bring the network stack and iptables that publishing ports needs).
    const podman = await ensureBinary({ binary: 'podman', debianPackage: 'podman', withPackages: ['runc'], installRecommends: true }, options);
    await ensureBinary({ binary: 'runc', debianPackage: 'runc' }, options);
    await mkdir(this.dir, { recursive: true });
    const conf = join(this.dir, 'containers.conf');
    const socket = join(this.dir, 'podman.sock');
    await writeFile(conf, CONTAINERS_CONF);
    await rm(socket, { force: true });
    const out = await open(join(this.dir, 'service.log'), 'a');
    let child: ChildProcess;
    try {
      // Own process group, so Ctrl-C reaches the harness first and it stops things in order.
      child = spawn(podman, ['system', 'service', '--time=0', `unix://${socket}`], {
        detached: true,
        stdio: ['ignore', out.fd, out.fd],
        env: { ...process.env, CONTAINERS_CONF: conf },
      });
    } finally {
      await out.close();
    }
    if (child.pid === undefined) {
      throw new InfrastructureError('IDGATE_PODMAN_SPAWN', `PodmanService.start: could not spawn ${podman}`, `check that podman runs: ${podman} info`);
    }
    child.unref();
    watchProcess(child.pid, this.dir);
    const started = new StartedPodmanService(child, child.pid, this.dir, socket, conf, options.beforeShutdownStop);
    const timeoutMs = options.readyTimeoutMs ?? 15_000;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && started.isRunning()) {
      if (await pingDockerSocket(socket)) return started;
      await new Promise((r) => setTimeout(r, 50));
    }
    const log = await readFile(join(this.dir, 'service.log'), 'utf8').catch(() => '');
    await started.stop();
    throw new InfrastructureError(
      'IDGATE_PODMAN_NOT_READY',
      `PodmanService.start: podman system service on ${socket} ${started.exitDescription() ?? `did not answer within ${timeoutMs} ms`}; log tail:\n${log.trimEnd().split('\n').slice(-15).join('\n')}`,
      `check that CONTAINERS_CONF=${conf} podman info works, or use IDGATE_STORES=local`,
    );
  }
}

/** A running podman service. `stop()` ends it and removes its directory (socket, config, log). */
export class StartedPodmanService {
  private stopping: Promise<StoppedPodmanService> | undefined;
  private readonly removeHook: () => void;

  constructor(
    private readonly child: ChildProcess,
    /** The service's pid (also its process group). */
    readonly pid: number,
    /** Its temporary directory. */
    readonly dir: string,
    /** Path of the Docker-API socket. */
    readonly socket: string,
    /** The containers.conf it runs with; podman CLI calls for this service need `CONTAINERS_CONF` set to it. */
    readonly containersConf: string,
    beforeShutdownStop?: () => Promise<unknown>,
  ) {
    this.removeHook = onShutdown({
      stop: async () => {
        await beforeShutdownStop?.().catch(() => undefined);
        return this.stop();
      },
      pids: () => (this.isRunning() ? [this.pid] : []),
    });
  }

  /** `unix://<socket>`, the value for DOCKER_HOST. */
  get dockerHost(): string {
    return `unix://${this.socket}`;
  }

  /** True while the service process has not exited. */
  isRunning(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** `exited (code N)` once the process has exited, else undefined. */
  exitDescription(): string | undefined {
    return this.isRunning() ? undefined : `exited (code ${this.child.exitCode ?? this.child.signalCode})`;
  }

  /** SIGTERM, up to 10 s of grace, then SIGKILL; removes the directory. Idempotent. */
  stop(): Promise<StoppedPodmanService> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<StoppedPodmanService> {
    await stopProcessGroup(this.child, this.pid);
    unwatchProcess(this.pid);
    this.removeHook();
    await rm(this.dir, { recursive: true, force: true });
    return new StoppedPodmanService(this.pid, this.socket);
  }
}

/** A podman service that has stopped; kept for the record. */
export class StoppedPodmanService {
  constructor(
    readonly pid: number,
    readonly socket: string,
  ) {}
}

/** True when a Docker-API server on the unix socket `socket` answers `GET /_ping` with OK. */
export function pingDockerSocket(socket: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath: socket, path: '/_ping', method: 'GET', timeout: timeoutMs, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve(res.statusCode === 200 && body.trim() === 'OK'));
      res.on('error', () => resolve(false));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

