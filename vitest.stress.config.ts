import { defineConfig } from 'vitest/config';

/**
 * `npm run test:stress`: inputs at the sizes the hostile-input cases were found at, each under a
 * generous bound. The growth itself is shown by small inputs in the ordinary suite.
 */
export default defineConfig({
  test: {
    include: ['tests/stress/**/*.stress.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
