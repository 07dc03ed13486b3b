import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'apps/api/**/*.test.ts',
      'apps/worker/**/*.test.ts',
      'packages/**/*.test.ts',
      'bench/**/*.test.ts',
      'e2e/**/*.e2e.test.ts',
    ],
    exclude: ['**/node_modules/**', 'apps/web/**'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 240_000,
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.data/test-results.json' }]] : ['default'],
  },
});
