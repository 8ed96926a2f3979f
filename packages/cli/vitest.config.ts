import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources (the `@muster/source` export
// condition), in the test runner as in the type checker: nothing needs building first. The CLI
// tests spawn `muster` processes (tsx on the sources), slow on a busy machine: a longer timeout.
export default defineConfig({
  resolve: { conditions: ['@muster/source'] },
  ssr: { resolve: { conditions: ['@muster/source'], externalConditions: ['@muster/source'] } },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 60_000,
  },
});
