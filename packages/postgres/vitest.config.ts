import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources (the `@muster/source` export
// condition), in the test runner as in the type checker: nothing needs building first.
export default defineConfig({
  resolve: { conditions: ['@muster/source'] },
  ssr: { resolve: { conditions: ['@muster/source'], externalConditions: ['@muster/source'] } },
  test: {
    include: ['test/**/*.test.ts'],
    // One file at a time: they share one PostgreSQL (and two CPU cores) with each other.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
