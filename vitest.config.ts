import { availableParallelism } from 'node:os';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * Tests load the builds users run. Vite resolves packages with a `development` condition (and
 * vitest hands its workers `--conditions development`) unless NODE_ENV is `production`;
 * micromark's development builds check assertions on every token, which made the parser-heavy
 * tests, the fuzz test above all, a fifth slower than the code Node itself loads.
 */
const productionBuilds: Plugin = {
  name: 'waymark:production-builds',
  configResolved(config) {
    const drop = (conditions: string[]): string[] => conditions.filter((c) => c !== 'development' && c !== 'development|production');
    for (const resolve of [config.resolve, config.ssr.resolve, ...Object.values(config.environments).map((e) => e.resolve)]) {
      if (resolve?.conditions !== undefined) resolve.conditions = drop(resolve.conditions);
    }
  },
};

/** The fuzz test's halves (see tests/helpers/fuzz.ts). */
const fuzzFiles = 'tests/fuzz-*.test.ts';

export default defineConfig({
  plugins: [productionBuilds],
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Every core: vitest's default leaves one idle, which on a 2-core machine means one file at a time.
    maxWorkers: Math.max(2, availableParallelism()),
    // The fuzz test's halves run first, side by side with nothing else, then the rest of the suite:
    // sharing two cores with other files made the same 10,000 cases take half as long again.
    projects: [
      { extends: true, test: { name: 'fuzz', include: [fuzzFiles], sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'unit', include: ['tests/**/*.test.ts'], exclude: [fuzzFiles], sequence: { groupOrder: 1 } } },
    ],
  },
});
