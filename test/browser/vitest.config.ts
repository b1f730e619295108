import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import SlowFirst from '../support/slow-first.js';

// The browser tier: real server, real Chromium. Each file starts its own server on a copy of the demo
// data folder the global setup makes once, so two files run side by side: a file mostly waits on its
// server and Chromium (alone, the tier kept 0.8 of a core busy), and the PostgreSQL tier beside it
// under CI ends first.
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/browser/**/*.test.ts'],
    globalSetup: ['test/browser/support/global-setup.ts'],
    // Under CI the PostgreSQL tier runs beside this one (scripts/test.mjs): the longest test (every
    // page's accessibility) took 65 s there, ~40 s alone.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // What a page shows after its requests answer: beside the PostgreSQL tier a count took over the
    // default second to appear (a list of 60 said "50+" until its count came).
    expect: { poll: { timeout: 10_000 } },
    sequence: { sequencer: SlowFirst },
    pool: 'forks',
    maxWorkers: 2,
    // Each file still starts its own server and Chromium; the two worker processes keep the loaded
    // modules (playwright-core, vitest's own) between files instead of importing them again.
    isolate: false,
  },
});
