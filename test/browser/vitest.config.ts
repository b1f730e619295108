import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The browser tier: real server, real Chromium, one file at a time (each starts its own server, on a
// copy of the demo data folder the global setup makes once).
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/browser/**/*.test.ts'],
    globalSetup: ['test/browser/support/global-setup.ts'],
    // Under CI the PostgreSQL tier runs beside this one (scripts/test.mjs): the longest tests (every
    // page's accessibility and security headers) take ~50 s alone, so each has twice that.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
  },
});
