// Type-aware lint. The rules that matter most here reject floating and misused promises:
// a forgotten `await` on a store write loses data silently.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'reports/**', 'fixtures/python/**', 'fixtures/sample-code/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // ioredis slows every charCodeAt loop of the process once loaded (harness/stores/load-ioredis.ts):
    // the harness and fixtures load it only through a dynamic import where a client is made.
    files: ['harness/**/*.ts', 'fixtures/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { paths: [{ name: 'ioredis', message: 'use ioredisClient() from harness/stores (a dynamic import): loading ioredis slows the scan and the checks', allowTypeImports: true }] }],
    },
  },
  {
    files: ['eslint.config.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
