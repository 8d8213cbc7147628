import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { getContainerRuntimeClient, type ContainerRuntimeClient } from 'testcontainers';
import { InfrastructureError } from '../model/index.js';
import { removeOrphanContainers, removeOwnContainers } from './container-labels.js';
import { findBinary } from './ensure-binary.js';
import { pingDockerSocket, PodmanService, type StartedPodmanService } from './podman-service.js';

/** The kind of engine behind the Docker API idgate talks to. */
export type ContainerEngineKind = 'docker' | 'podman';

/** What {@link detectContainerEngine} found. */
export type DetectedContainerEngine =
  | { readonly kind: 'docker'; readonly dockerHost: string }
  | { readonly kind: 'podman'; readonly podman: string }
  | { readonly kind: 'none' };

/** Options of {@link acquireContainerRuntime}. */
export interface ContainerRuntimeOptions {
  /** Install Debian's podman and runc when no engine is found and running as root. Default: true. */
  readonly install?: boolean;
  /** Progress lines. Default: stderr. */
  readonly log?: (line: string) => void;
}

/** A container engine in use; `release()` when done (the last release stops idgate's podman service). */
export interface ContainerRuntimeLease {
  readonly kind: ContainerEngineKind;
  /** The Docker API endpoint, e.g. `unix:///tmp/idgate-podman-123/podman.sock`. */
  readonly dockerHost: string;
  /** testcontainers' client for it. */
  readonly client: ContainerRuntimeClient;
  /**
   * The engine's command-line client, when installed: argv prefix and environment that reach
   * the same engine (`podman` with the service's CONTAINERS_CONF, or `docker` with DOCKER_HOST).
   * The reaper uses it to remove containers when the harness is SIGKILLed.
   */
  readonly cli?: { readonly argv: readonly string[]; readonly env: Readonly<Record<string, string>>; readonly removeArgs: readonly string[] };
  release(): Promise<void>;
}

const DOCKER_SOCKET = '/var/run/docker.sock';
/** Set beside DOCKER_HOST when it points at idgate's own podman service (also seen by child processes). */
const PODMAN_MARKER = 'IDGATE_PODMAN_DOCKER_HOST';

/**
 * Which engine idgate would use, without starting anything: a Docker engine named by DOCKER_HOST
 * or listening on /var/run/docker.sock; else podman when installed (or when DOCKER_HOST is a
 * podman service that idgate itself started, e.g. in a parent process); else none.
 */
export async function detectContainerEngine(env: Readonly<Record<string, string | undefined>> = process.env): Promise<DetectedContainerEngine> {
  const host = env.DOCKER_HOST;
  if (dockerEngineConfigured(env)) return { kind: 'docker', dockerHost: host !== undefined && host !== '' ? host : `unix://${DOCKER_SOCKET}` };
  const podman = await findBinary('podman');
  if (podman !== undefined) return { kind: 'podman', podman };
  return host !== undefined && host !== '' ? { kind: 'podman', podman: 'podman' } : { kind: 'none' };
}

/**
 * True when a Docker engine is configured: DOCKER_HOST names one (other than a podman service
 * idgate started) or /var/run/docker.sock exists. What `auto` store selection looks at.
 */
export function dockerEngineConfigured(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  const host = env.DOCKER_HOST;
  if (host !== undefined && host !== '') return host !== env[PODMAN_MARKER];
  return existsSync(DOCKER_SOCKET);
}

let podmanShared: { service: StartedPodmanService; users: number } | undefined;
let queue: Promise<unknown> = Promise.resolve();
let orphansRemoved = false;

/**
 * Gives a container engine for testcontainers: the Docker engine when there is one (DOCKER_HOST
 * or /var/run/docker.sock); otherwise idgate's own `podman system service` (installing podman
 * and runc from Debian when missing and root), shared by every lease of this process and stopped
 * by the last `release()`, or on Ctrl-C/SIGTERM/SIGKILL by the shutdown hooks and the reaper.
 *
 * testcontainers reads its settings from `process.env` once per process, so this sets there,
 * when unset: DOCKER_HOST (to the podman socket), TESTCONTAINERS_RYUK_DISABLED=true (Ryuk's image
 * cannot be pulled without a registry; idgate removes its labelled containers itself) and
 * TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1 (all traffic on loopback). On first use in a process it
 * removes the containers that dead idgate processes left behind.
 */
export function acquireContainerRuntime(options: ContainerRuntimeOptions = {}): Promise<ContainerRuntimeLease> {
  const run = queue.then(() => acquireNow(options));
  queue = run.catch(() => undefined);
  return run;
}

async function acquireNow(options: ContainerRuntimeOptions): Promise<ContainerRuntimeLease> {
  const env = process.env;
  env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  env.TESTCONTAINERS_HOST_OVERRIDE ??= '127.0.0.1';
  const engine = await detectContainerEngine(env);
  if (engine.kind === 'docker') {
    const client = await clientFor(engine.dockerHost, 'docker');
    const docker = await findBinary('docker');
    const cli = docker === undefined ? undefined : { argv: [docker], env: { DOCKER_HOST: engine.dockerHost }, removeArgs: ['rm', '-f', '-v'] };
    return { kind: 'docker', dockerHost: engine.dockerHost, client, cli, release: async () => undefined };
  }
  const podman = (await findBinary('podman')) ?? 'podman';
  const podmanCli = (dockerHost: string) => ({
    argv: [podman],
    env: { CONTAINERS_CONF: join(dirname(new URL(dockerHost).pathname), 'containers.conf') },
    removeArgs: ['rm', '-f', '-v', '-t', '0'],
  });
  const inherited = env[PODMAN_MARKER];
  if (podmanShared === undefined && inherited !== undefined && inherited === env.DOCKER_HOST && (await pingDockerSocket(new URL(inherited).pathname))) {
    // A parent idgate process (e.g. vitest's main process) runs the service; it also stops it.
    const client = await clientFor(inherited, 'podman');
    return { kind: 'podman', dockerHost: inherited, client, cli: podmanCli(inherited), release: async () => undefined };
  }
  if (podmanShared === undefined) {
    options.log?.('idgate: no Docker engine (DOCKER_HOST, /var/run/docker.sock); starting podman system service');
    const service = await new PodmanService().start({ install: options.install, log: options.log, beforeShutdownStop: async () => removeOwnContainers(await getContainerRuntimeClient()) });
    podmanShared = { service, users: 0 };
    env.DOCKER_HOST = service.dockerHost;
    env[PODMAN_MARKER] = service.dockerHost;
  }
  const shared = podmanShared;
  shared.users++;
  let client: ContainerRuntimeClient;
  try {
    client = await clientFor(shared.service.dockerHost, 'podman');
  } catch (e) {
    await releasePodman(shared);
    throw e;
  }
  let released = false;
  return {
    kind: 'podman',
    dockerHost: shared.service.dockerHost,
    client,
    cli: podmanCli(shared.service.dockerHost),
    release: async () => {
      if (released) return;
      released = true;
      const run = queue.then(() => releasePodman(shared));
      queue = run.catch(() => undefined);
      await run;
    },
  };
}

async function releasePodman(shared: { service: StartedPodmanService; users: number }): Promise<void> {
  shared.users--;
  if (shared.users > 0 || podmanShared !== shared) return;
  podmanShared = undefined;
  await shared.service.stop();
}

async function clientFor(dockerHost: string, kind: ContainerEngineKind): Promise<ContainerRuntimeClient> {
  let client: ContainerRuntimeClient;
  try {
    client = await getContainerRuntimeClient();
  } catch (e) {
    throw new InfrastructureError(
      'IDGATE_ENGINE_UNREACHABLE',
      `startStores: testcontainers could not reach the ${kind} engine at ${dockerHost}: ${(e as Error).message}`,
      kind === 'docker' ? 'check that the Docker engine runs (docker info), or use IDGATE_STORES=local' : 'check podman (podman info), or use IDGATE_STORES=local',
      { cause: e },
    );
  }
  if (!orphansRemoved) {
    orphansRemoved = true;
    await removeOrphanContainers(client);
  }
  return client;
}
