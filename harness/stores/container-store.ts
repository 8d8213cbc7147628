import type { GenericContainer } from 'testcontainers';
import { InfrastructureError } from '../model/index.js';
import { IDGATE_RUN_LABEL, IDGATE_STORE_LABEL, idgateContainerLabels, removeContainer } from './container-labels.js';
import { dockerApi } from './docker-api.js';
import { acquireContainerRuntime, type ContainerEngineKind, type ContainerRuntimeLease } from './container-runtime.js';
import { ensureLocalImage, type LocalImageRecipe } from './local-image.js';
import { unwatchCommand, watchCommand } from './reaper.js';
import { onShutdown } from './shutdown-hooks.js';

/** How to run one store in a container. */
export interface ContainerStoreRecipe {
  /** `redis` or `clickhouse`. */
  readonly name: 'redis' | 'clickhouse';
  /** Environment variable naming the image, e.g. `IDGATE_REDIS_IMAGE`; the value `local` means idgate's own build. */
  readonly imageVariable: string;
  /** The image used with a Docker engine when nothing else is asked for. */
  readonly officialImage: string;
  /** idgate's image built from Debian's package: the default with podman (no registry needed). */
  readonly localImage: LocalImageRecipe;
  /** The container port clients use; published on 127.0.0.1. */
  readonly port: number;
  /** A container (not started) for `image`; `local` is true for idgate's own build. */
  container(image: string, local: boolean): GenericContainer;
  /** The URL for the published port. */
  url(port: number): string;
}

/** Options of {@link ContainerStore.start}. */
export interface ContainerStoreStartOptions {
  /** Labels the container as part of this run (`idgate.run`). */
  readonly runId: string;
  /** Image, or `local` for idgate's Debian build. Default: the recipe's variable, else official with Docker and `local` with podman. */
  readonly image?: string;
  /** Where the image variable is read. Default: `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** How long the store may take to answer. Default: 60 000 ms. */
  readonly readyTimeoutMs?: number;
  /** Install missing Debian packages (podman, runc, the server) when root. Default: true. */
  readonly install?: boolean;
  /** Progress lines. Default: stderr. */
  readonly log?: (line: string) => void;
}

/** A store to run in a container; `start()` gives a {@link StartedContainerStore}. */
export class ContainerStore {
  constructor(readonly recipe: ContainerStoreRecipe) {}

  /**
   * Starts the store in a labelled container whose port is published on 127.0.0.1, building
   * idgate's image first when needed. On failure the container and the engine lease are released.
   */
  async start(options: ContainerStoreStartOptions): Promise<StartedContainerStore> {
    const { recipe } = this;
    const lease = await acquireContainerRuntime({ install: options.install, log: options.log });
    try {
      const asked = options.image ?? (options.env ?? process.env)[recipe.imageVariable];
      const wanted = asked === undefined || asked === '' ? (lease.kind === 'docker' ? recipe.officialImage : 'local') : asked;
      // `local`, or a tag of idgate's repository named explicitly: run it as idgate's own build.
      const local = wanted === 'local' || wanted.startsWith(`${recipe.localImage.repository}:`);
      const image = wanted === 'local' ? (await ensureLocalImage(recipe.localImage, lease.client, { install: options.install, log: options.log })).name : wanted;
      const container = recipe
        .container(image, local)
        .withLabels({ ...idgateContainerLabels(options.runId), [IDGATE_STORE_LABEL]: recipe.name })
        .withStartupTimeout(options.readyTimeoutMs ?? 60_000);
      const t0 = performance.now();
      let started;
      try {
        started = await container.start();
      } catch (e) {
        await removeByLabels(lease, options.runId, recipe.name);
        throw new InfrastructureError(
          'IDGATE_CONTAINER_START',
          `startStores: the ${recipe.name} container (${image}) on ${lease.kind} did not start: ${(e as Error).message}`,
          local
            ? `run npm run images to rebuild idgate's images, or use IDGATE_STORES=local`
            : `check that ${image} can be pulled (or set ${recipe.imageVariable}=local to build from Debian's package), or use IDGATE_STORES=local`,
          { cause: e },
        );
      }
      const startMs = performance.now() - t0;
      return new StartedContainerStore(recipe.name, recipe.url(started.getMappedPort(recipe.port)), started.getId(), image, startMs, lease);
    } catch (e) {
      await lease.release();
      throw e;
    }
  }
}

/** A store running in a container. `stop()` removes the container and releases the engine. */
export class StartedContainerStore {
  private stopping: Promise<StoppedContainerStore> | undefined;
  private readonly removeHook: () => void;

  constructor(
    readonly name: 'redis' | 'clickhouse',
    /** The URL clients use (always 127.0.0.1). */
    readonly url: string,
    /** The container's id. */
    readonly containerId: string,
    /** The image it runs. */
    readonly image: string,
    /** Milliseconds from asking the engine to start the container until the store answered. */
    readonly startMs: number,
    private readonly lease: ContainerRuntimeLease,
  ) {
    this.removeHook = onShutdown({ stop: () => this.stop(), pids: () => [] });
    // SIGKILL leaves no time for stop(): the reaper removes the container with the engine's CLI.
    if (lease.cli !== undefined) watchCommand(`container-${containerId}`, [...lease.cli.argv, ...lease.cli.removeArgs, containerId], lease.cli.env);
  }

  /** `docker` or `podman`. */
  get engine(): ContainerEngineKind {
    return this.lease.kind;
  }

  /** Removes the container (no grace period: its data is disposable) and releases the engine. Idempotent. */
  stop(): Promise<StoppedContainerStore> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<StoppedContainerStore> {
    try {
      await removeContainer(this.lease.client, this.containerId);
    } finally {
      unwatchCommand(`container-${this.containerId}`);
      this.removeHook();
      await this.lease.release();
    }
    return new StoppedContainerStore(this.name, this.containerId);
  }
}

/** A container store that was removed; kept for the record. */
export class StoppedContainerStore {
  constructor(
    readonly name: string,
    readonly containerId: string,
  ) {}
}

async function removeByLabels(lease: ContainerRuntimeLease, runId: string, store: string): Promise<void> {
  const found = await dockerApi(lease.client)
    .listContainers({ all: true, filters: { label: [`${IDGATE_RUN_LABEL}=${runId}`, `${IDGATE_STORE_LABEL}=${store}`] } })
    .catch(() => []);
  await Promise.all(found.map((c) => removeContainer(lease.client, c.Id).catch(() => undefined)));
}
