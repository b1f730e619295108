import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The browser tier: real server, real Chromium, one file at a time (each starts its own server).
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
  },
});
