import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file boots its own simulator and facade on free ports; two cores, so two workers.
    maxWorkers: 2,
    pool: 'forks',
  },
});
