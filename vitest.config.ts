import { configDefaults, defineConfig } from 'vitest/config';

/** Tests that need a container engine, and the ledger tests that run on containers too. */
const CONTAINER_TESTS = ['test/containers-*.test.ts'];
const LEDGER_TESTS = ['test/ledger-*.test.ts'];

/**
 * The project's own tests, in two projects that each get real Redis and ClickHouse from the
 * global setup (handed to tests through `inject('stores')`):
 * - `local`: unit tests beside the code (`harness/**\/*.test.ts`) and the end-to-end/self-tests
 *   in `test/`, on stores chosen as users' runs choose them (IDGATE_STORES, URLs, else local
 *   Debian servers);
 * - `containers`: the ledger tests again, plus the container tests, on stores in containers
 *   (Docker when configured, otherwise idgate's own podman service and images built from Debian's
 *   packages).
 */
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'reports/vitest.json' }]] : ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'local',
          include: ['harness/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...CONTAINER_TESTS],
          globalSetup: ['./test/global-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'containers',
          include: [...LEDGER_TESTS, ...CONTAINER_TESTS],
          // Starts and kills local servers of its own; test/containers-faults.test.ts does the same to containers.
          exclude: [...configDefaults.exclude, 'test/ledger-faults.test.ts'],
          globalSetup: ['./test/global-setup.ts'],
          provide: { storesProvider: 'container' },
        },
      },
    ],
  },
});
