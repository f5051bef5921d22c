import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Property tests with 100k runs and key pools need more than the 5 s default.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
