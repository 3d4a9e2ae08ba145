import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Every core: vitest's default leaves one idle, which on a 2-core machine means one file at a time.
    maxWorkers: Math.max(2, availableParallelism()),
  },
});
