import { defineConfig } from 'vitest/config';

/**
 * The project's own tests: unit tests beside the code (`harness/**\/*.test.ts`) and the
 * end-to-end/self-tests in `test/`. Real Redis and ClickHouse are started once per run by the
 * global setup and handed to tests through `inject('stores')`.
 */
export default defineConfig({
  test: {
    include: ['harness/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['./test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'reports/vitest.json' }]] : ['default'],
  },
});
