import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources (the `@muster/source` export
// condition), in the test runner as in the type checker: nothing needs building first.
// The global setup starts the Kafka test broker (tooling/kafka/start.sh) when none answers.
// Files run one at a time: the disconnect and fault tests restart the shared broker.
export default defineConfig({
  resolve: { conditions: ['@muster/source'] },
  ssr: { resolve: { conditions: ['@muster/source'], externalConditions: ['@muster/source'] } },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
