import type { CatalogDefinition } from '../spec/index.js';
import type { Profile } from '../workload/index.js';

/** The built-in profile names a configuration may override. */
export type ConfigProfileName = 'ci' | 'gate' | 'golden' | 'nightly';

/** Fields of a profile a configuration may override (everything but its name). */
export type ProfileOverrides = Partial<Omit<Profile, 'name' | 'description'>>;

/**
 * Limits the checks hold a target to. Recorded in every report; the entropy check reads the
 * projection fields.
 */
export interface IdgateThresholds {
  /** Production IDs per domain per day the collision projection assumes. Default: 1e9. */
  readonly productionIdsPerDay?: number;
  /** Days of production the projection covers. Default: 365. */
  readonly productionDays?: number;
  /** Highest acceptable probability of any collision over that volume. Default: 1e-6. */
  readonly maxCollisionProbability?: number;
}

/** What `idgate audit` scans when no path is given on the command line. */
export interface AuditConfig {
  /** The source tree to audit, relative to the configuration file. Required. */
  readonly root: string;
  /** Globs (relative to `root`) of the modules allowed to mint IDs. Default: none. */
  readonly allow?: readonly string[];
  /** Globs of files to leave out. Default: none. */
  readonly exclude?: readonly string[];
}

/** The running service `idgate golden` drives (docs/service.md), and what it must meet. */
export interface ServiceConfig {
  /**
   * The service, as `--service` takes it: `fixture[:<mode>]`, an http(s) URL, or a module
   * (relative to the configuration file) exporting `defineService({ … })`. Required.
   */
  readonly spec: string;
  /** Concurrent users. Default: 500 (`--users` wins). */
  readonly users?: number;
  /**
   * k6-style limits: metric → expression(s), e.g. `{ path: ['p(95)<2000'], 'step.login': 'p(99)<500' }`.
   * Metrics `path`, `step.<step>`, `users_per_second`, `users_failed`. Default: none.
   */
  readonly thresholds?: Readonly<Record<string, string | readonly string[]>>;
  /** Bounds on every wait, ms: one step (default 5 000) and a user's cleanup (default 3 000). */
  readonly timeouts?: { readonly stepMs?: number; readonly cleanupMs?: number };
  /** Users start spread over this many ms (a k6 ramp-up). Default: the spec's, else 0 (all at once). */
  readonly rampMs?: number;
}

/**
 * A project's idgate configuration, the default export of `idgate.config.ts`. Every field is
 * optional; command-line flags win over it.
 */
export interface IdgateConfig {
  /** The target `--target` defaults to (a built-in name, a module path or a command). Default: `reference`. */
  readonly target?: string;
  /** Domains added to idgate's default catalog; one with a default domain's name replaces it. Default: none. */
  readonly domains?: CatalogDefinition;
  /** Overrides of the built-in profiles, by profile name. Default: none. */
  readonly profiles?: Readonly<Partial<Record<ConfigProfileName, ProfileOverrides>>>;
  /** Check thresholds. Default: see {@link IdgateThresholds}. */
  readonly thresholds?: IdgateThresholds;
  /** The accepted-findings baseline file `--baseline` defaults to, relative to the configuration file. Default: none. */
  readonly baseline?: string;
  /** Where stores come from, as `--stores`. Default: `auto`. */
  readonly stores?: 'auto' | 'url' | 'container' | 'local';
  /** What `idgate audit` scans without a path argument. Default: none. */
  readonly audit?: AuditConfig;
  /** The service `idgate golden` drives without `--service`: its spec text alone, or with users, thresholds and timeouts. Default: none. */
  readonly service?: string | ServiceConfig;
}

/**
 * Declares an idgate configuration with full type checking; returns it unchanged.
 *
 * @example
 * ```ts
 * // idgate.config.ts
 * import { defineConfig } from 'idgate';
 * export default defineConfig({ target: './src/ids/target.ts', profiles: { gate: { idsPerDomain: 200_000 } } });
 * ```
 */
export function defineConfig(config: IdgateConfig): IdgateConfig {
  return config;
}
