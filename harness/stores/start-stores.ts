import { randomBytes } from 'node:crypto';
import { UsageError } from '../model/index.js';
import { clickhouseContainerRecipe } from './clickhouse-container.js';
import { clickhouseRecipe } from './clickhouse-recipe.js';
import { ContainerStore } from './container-store.js';
import { dockerEngineConfigured } from './container-runtime.js';
import { LocalServer } from './local-server.js';
import { redactUrl } from './redact-url.js';
import { redisContainerRecipe } from './redis-container.js';
import { redisRecipe } from './redis-recipe.js';

/** The stores idgate keeps ledgers in. */
export type StoreName = 'redis' | 'clickhouse';

/** Where a store comes from: a URL the user gave, a container, or a local Debian process. */
export type StoreProviderName = 'url' | 'container' | 'local';

/** One store a run can use. */
export interface StoreEndpoint {
  readonly name: StoreName;
  /** Connection URL; may hold credentials, so log {@link StoreEndpoint.displayUrl} instead. */
  readonly url: string;
  /** The URL with credentials masked. */
  readonly displayUrl: string;
  readonly provider: StoreProviderName;
  /** The server's pid when idgate started it as a local process. */
  readonly pid?: number;
  /** The container's id when idgate started it in a container. */
  readonly containerId?: string;
  /** The container's image when idgate started it in a container. */
  readonly image?: string;
  /** Milliseconds the container took from start to answering (container provider only). */
  readonly startMs?: number;
}

/** Options of {@link startStores}. */
export interface StartStoresOptions {
  /** Which stores to provide. Default: both. */
  readonly stores?: readonly StoreName[];
  /**
   * Provider for every store, or `auto`: a URL when one is set, else a container when a Docker
   * engine is configured (DOCKER_HOST or /var/run/docker.sock), else local. Podman alone does
   * not make `auto` choose containers: local processes start faster and need no service; ask
   * for `container` to use podman. Default: `IDGATE_STORES` or `auto`. (`auto` reads DOCKER_HOST
   * from `env`; testcontainers itself always reads `process.env`.)
   */
  readonly provider?: StoreProviderName | 'auto';
  /** Environment to read `IDGATE_*` from. Default: `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Readiness bound per server: 30 000 ms local, 60 000 ms in a container. */
  readonly readyTimeoutMs?: number;
  /** Install missing Debian packages when root. Default: true. */
  readonly install?: boolean;
  /** Progress lines. Default: stderr. */
  readonly log?: (line: string) => void;
}

const URL_ENV: Record<StoreName, string> = { redis: 'IDGATE_REDIS_URL', clickhouse: 'IDGATE_CLICKHOUSE_URL' };
const URL_SCHEMES: Record<StoreName, readonly string[]> = { redis: ['redis:', 'rediss:'], clickhouse: ['http:', 'https:'] };
const RECIPES = { redis: redisRecipe, clickhouse: clickhouseRecipe } as const;
const CONTAINER_RECIPES = { redis: redisContainerRecipe, clickhouse: clickhouseContainerRecipe } as const;
const PROVIDERS = ['auto', 'url', 'container', 'local'] as const;

/**
 * Starts what a run needs and returns the endpoints plus a `stop()`. Per store, the provider is
 * `options.provider`, else `IDGATE_STORES`, else automatic: a URL from `IDGATE_REDIS_URL` /
 * `IDGATE_CLICKHOUSE_URL` when set, otherwise a container when a Docker engine is configured,
 * otherwise a local Debian server on a free loopback port. Containers run the images named by
 * `IDGATE_REDIS_IMAGE` / `IDGATE_CLICKHOUSE_IMAGE` (`local`: built from Debian's packages), by
 * default the official ones with Docker and idgate's local builds with podman.
 * Input is validated before anything starts; if one store fails to start, those already
 * started are stopped before the error is thrown.
 */
export async function startStores(options: StartStoresOptions = {}): Promise<StartedStores> {
  const env = options.env ?? process.env;
  const names = options.stores ?? (['redis', 'clickhouse'] as const);
  const provider = options.provider ?? env.IDGATE_STORES ?? 'auto';
  if (!(PROVIDERS as readonly string[]).includes(provider)) {
    throw new UsageError(
      'IDGATE_BAD_PROVIDER',
      `startStores: store provider ${JSON.stringify(provider)} (from ${options.provider === undefined ? 'IDGATE_STORES' : 'options.provider'}) is not known`,
      `use one of ${PROVIDERS.join(', ')}`,
    );
  }
  const plan = names.map((name) => ({ name, source: chooseSource(name, provider as (typeof PROVIDERS)[number], env) }));

  const runId = randomBytes(6).toString('hex');
  const started: (StoreEndpoint & { server?: Stoppable })[] = [];
  const results = await Promise.allSettled(
    plan.map(async ({ name, source }) => {
      if (source.kind === 'url') {
        const ep = { name, url: source.url, displayUrl: redactUrl(source.url), provider: 'url' as const };
        started.push(ep);
        return;
      }
      if (source.kind === 'container') {
        const box = await new ContainerStore(CONTAINER_RECIPES[name]).start({ runId, env, readyTimeoutMs: options.readyTimeoutMs, install: options.install, log: options.log });
        started.push({ name, url: box.url, displayUrl: box.url, provider: 'container', containerId: box.containerId, image: box.image, startMs: box.startMs, server: box });
        return;
      }
      const server = await new LocalServer(RECIPES[name]).start({
        readyTimeoutMs: options.readyTimeoutMs,
        install: options.install,
        log: options.log,
      });
      started.push({ name, url: server.url, displayUrl: server.url, provider: 'local', pid: server.pid, server });
    }),
  );
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed !== undefined) {
    await Promise.all(started.flatMap((s) => (s.server === undefined ? [] : [s.server.stop()])));
    throw failed.reason;
  }
  return new StartedStores(started, runId);
}

/** What idgate started and must stop: a local server or a container. */
interface Stoppable {
  stop(): Promise<unknown>;
}

type Source = { kind: 'url'; url: string } | { kind: 'local' } | { kind: 'container' };

function chooseSource(name: StoreName, provider: (typeof PROVIDERS)[number], env: Readonly<Record<string, string | undefined>>): Source {
  const variable = URL_ENV[name];
  const url = env[variable];
  if (provider === 'container') return { kind: 'container' };
  if (provider === 'url' || (provider === 'auto' && url !== undefined && url !== '')) {
    if (url === undefined || url === '') {
      throw new UsageError('IDGATE_URL_MISSING', `startStores: IDGATE_STORES=url but ${variable} is not set`, `set ${variable} to the ${name} server's URL, or use IDGATE_STORES=local`);
    }
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new UsageError('IDGATE_BAD_URL', `startStores: ${variable} is not a URL (${redactUrl(url)})`, `use ${URL_SCHEMES[name].map((s) => `${s}//host:port`).join(' or ')}`);
    }
    if (!URL_SCHEMES[name].includes(parsed.protocol)) {
      throw new UsageError('IDGATE_BAD_URL', `startStores: ${variable} has scheme ${parsed.protocol} (${redactUrl(url)})`, `use ${URL_SCHEMES[name].map((s) => `${s}//host:port`).join(' or ')}`);
    }
    return { kind: 'url', url };
  }
  if (provider === 'auto' && dockerEngineConfigured(env)) return { kind: 'container' };
  return { kind: 'local' };
}

/** Stores that are up. `stop()` stops what idgate started (URL stores are left alone). */
export class StartedStores {
  private stopping: Promise<StoppedStores> | undefined;

  constructor(
    private readonly endpoints: readonly (StoreEndpoint & { server?: Stoppable })[],
    /** Labels this run's containers (`idgate.run=<runId>`). */
    readonly runId: string,
  ) {}

  /** Every endpoint, in no particular order. */
  list(): readonly StoreEndpoint[] {
    return this.endpoints.map(({ server: _s, ...ep }) => ep);
  }

  /** The endpoint of `name`; throws a {@link UsageError} when it was not started. */
  endpoint(name: StoreName): StoreEndpoint {
    const ep = this.list().find((e) => e.name === name);
    if (ep === undefined) {
      throw new UsageError('IDGATE_STORE_NOT_STARTED', `StartedStores.endpoint: ${name} was not started`, `include '${name}' in startStores({ stores })`);
    }
    return ep;
  }

  /** Stops every server and removes every container idgate started; idempotent. */
  stop(): Promise<StoppedStores> {
    this.stopping ??= Promise.all(this.endpoints.flatMap((e) => (e.server === undefined ? [] : [e.server.stop()]))).then(() => new StoppedStores(this.list()));
    return this.stopping;
  }
}

/** Stores after `stop()`: what ran, for the record. */
export class StoppedStores {
  constructor(readonly endpoints: readonly StoreEndpoint[]) {}
}
