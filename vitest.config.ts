import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'apps/api/**/*.test.ts',
      'apps/worker/**/*.test.ts',
      'packages/**/*.test.ts',
      'bench/**/*.test.ts',
      'e2e/**/*.e2e.test.ts',
      // The web app's build scripts only; its pages are tested through the browser (e2e/).
      'apps/web/scripts/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', 'apps/web/.next*/**'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 240_000,
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.data/test-results.json' }]] : ['default'],
  },
});
