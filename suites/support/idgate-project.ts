import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProjectInlineConfiguration } from 'vitest/config';
import type { GateRequest } from './gate-provided.js';

/** Options of {@link idgateProject}. */
export interface IdgateProjectOptions {
  /** The vitest project's name. Default: `idgate`. */
  readonly name?: string;
  /** What `--target` takes: a built-in name, a module path exporting `createTarget`, or a command. Default: `reference`. */
  readonly target?: string;
  /** Profile name. Default: `ci` (memory ledger only, seconds). */
  readonly profile?: string;
  /** Seed of users and choices. Default: 1. */
  readonly seed?: number;
  /** Profile fields to override, e.g. `{ idsPerDomain: 20_000 }`. Default: none. */
  readonly overrides?: Readonly<Record<string, unknown>>;
  /** Store URLs, needed when the profile writes to Redis or ClickHouse. Default: none. */
  readonly redisUrl?: string;
  readonly clickhouseUrl?: string;
  /** Where result.json, summary.md and report.html go. Default: `reports/idgate-vitest`. */
  readonly outDir?: string;
  /** An idgate.config.ts whose domains extend the catalog. Default: none. */
  readonly configFile?: string;
}

const suitesDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';

/**
 * A vitest project that runs idgate's product suites against a target, for a team's own
 * `vitest.config.ts`: `test: { projects: [idgateProject({ target: './src/ids/idgate-target.ts' })] }`.
 * The global setup mints the profile's IDs once and the suites assert one check and domain per test.
 */
export function idgateProject(options: IdgateProjectOptions = {}): TestProjectInlineConfiguration {
  const profile = options.profile ?? 'ci';
  const seed = options.seed ?? 1;
  const target = options.target ?? 'reference';
  const request: GateRequest = {
    target,
    profile,
    seed,
    overrides: options.overrides ?? {},
    replay: `npx idgate gate --target ${target} --profile ${profile} --seed ${seed}`,
    ...(options.redisUrl === undefined ? {} : { redisUrl: options.redisUrl }),
    ...(options.clickhouseUrl === undefined ? {} : { clickhouseUrl: options.clickhouseUrl }),
    outDir: resolve(options.outDir ?? join('reports', 'idgate-vitest')),
    ...(options.configFile === undefined ? {} : { configFile: resolve(options.configFile) }),
  };
  return {
    test: {
      name: options.name ?? 'idgate',
      root: dirname(suitesDir),
      include: [`suites/*.suite.${ext}`],
      exclude: [],
      globalSetup: [join(suitesDir, `gate-setup.${ext}`)],
      provide: { idgateGate: request },
      pool: 'forks',
      testTimeout: 120_000,
      hookTimeout: 300_000,
    },
  };
}
