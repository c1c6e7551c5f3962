import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    pool: 'forks',
    globalSetup: ['test/helpers/build-once.ts'],
    setupFiles: ['test/helpers/isolated-cache.ts'],
    // `npm run coverage`; not part of `npm test`.
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      reporter: ['text-summary', 'html'],
      reportsDirectory: 'coverage',
    },
  },
});
