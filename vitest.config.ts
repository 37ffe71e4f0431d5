import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

/**
 * Three projects: everything under test/ runs in Node, except the component tests
 * under test/renderer/, which run in happy-dom with the React plugin, and the
 * browser tests (test/e2e/, test/preview/), which run last, one file at a time.
 */
export default defineConfig({
  test: {
    // Before any test loads the SQLite driver: on an old Node, one line and exit 1.
    globalSetup: ['test/support/node-version-setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['**/node_modules/**', 'test/renderer/**', 'test/e2e/**', 'test/preview/**'],
          environment: 'node',
        },
      },
      {
        extends: true,
        plugins: [react()],
        test: {
          name: 'renderer',
          include: ['test/renderer/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
          setupFiles: ['test/renderer/setup-renderer.ts'],
        },
      },
      {
        // Headless Chromium against the preview server: after the other projects (they
        // share 2 CPUs), one file at a time, with the renderer built once beforehand.
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts', 'test/preview/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/support/node-version-setup.ts', 'test/e2e/support/global-setup.ts'],
          sequence: { groupOrder: 1 },
          fileParallelism: false,
          testTimeout: 90_000,
        },
      },
    ],
  },
});
