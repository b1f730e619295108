import { defineConfig } from 'vitest/config';
import SlowFirst from './test/support/slow-first.js';

/** Suites that prove the storage, jobs, audit and search layers on the real PostgreSQL server too. */
export const postgresSuites = [
  'test/db/**/*.test.ts',
  'test/jobs/**/*.test.ts',
  'test/audit/**/*.test.ts',
  'test/auth/login-throttle.test.ts',
  'test/customers/customers.test.ts',
  'test/customers/segments.test.ts',
  'test/customers/merge.test.ts',
  'test/customers/search.test.ts',
  'test/customers/import.test.ts',
  'test/customers/import-batches.test.ts',
  'test/customers/export.test.ts',
  'test/customers/export-stream.test.ts',
  'test/communications/batch-runs.test.ts',
  'test/communications/corrective-mailing.test.ts',
  'test/http/keyset-paging.test.ts',
  'test/communications/receipts.test.ts',
  'test/portal/portal-sign-in.test.ts',
  'test/search/search.test.ts',
  'test/records/legal-holds.test.ts',
  'test/insights/kpis.test.ts',
  'test/insights/roi.test.ts',
  'test/insights/kpi-rollup.test.ts',
];

export default defineConfig({
  test: {
    sequence: { sequencer: SlowFirst },
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        test: {
          name: 'api',
          include: ['test/**/*.test.ts'],
          exclude: ['test/browser/**', 'test/**/*.postgres.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          env: { TIDINGS_TEST_ENGINE: 'pglite' },
          pool: 'forks',
          maxWorkers: 2,
          // Each file still gets its own database and app; the two worker processes keep the loaded
          // modules between files instead of importing the whole app again (~4 s of CPU per file).
          isolate: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'postgres',
          include: [...postgresSuites, 'test/**/*.postgres.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          // pg 9 will refuse a statement sent while its connection runs another (a Promise.all on one
          // transaction); pg 8 only warns, once a process: here it fails the test that does it, and
          // the `tidings` processes the tests start (servers, workers, commands) exit on it.
          env: { TIDINGS_TEST_ENGINE: 'postgres', NODE_OPTIONS: '--throw-deprecation' },
          pool: 'forks',
          execArgv: ['--throw-deprecation'],
          maxWorkers: 2,
          // As for api: each file has its own database and app, the modules are loaded once per worker.
          isolate: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
