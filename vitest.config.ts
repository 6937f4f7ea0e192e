import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Node loads graphql's CommonJS build (its package.json has no "exports"); Vite would pick the
    // ESM one for our files, and two graphql realms break instanceof checks. Use Node's choice.
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file boots its own simulator and facade on free ports; two cores, so two workers.
    maxWorkers: 2,
    pool: 'forks',
  },
});
