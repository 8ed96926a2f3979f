import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources (the `@muster/source` export
// condition), in the test runner as in the type checker: nothing needs building first.
export default defineConfig({
  resolve: { conditions: ['@muster/source'] },
  ssr: { resolve: { conditions: ['@muster/source'], externalConditions: ['@muster/source'] } },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // Test files share one Redis server and the machine's two cores.
    fileParallelism: false,
  },
});
