import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@muster/source'] },
  ssr: { resolve: { conditions: ['@muster/source'] } },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
