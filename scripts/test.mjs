#!/usr/bin/env node
// `npm test`: runs every test tier whose part is present. A tier that cannot run says so in one
// line; under CI=true a missing tier is a failure, never a silent skip.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ci = process.env.CI === 'true' || process.env.CI === '1';
const only = process.argv.slice(2);
const chromium = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (candidate) => candidate && fs.existsSync(candidate),
);
const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-test-report-'));

const tiers = [
  { name: 'api', title: 'unit and API tests on embedded PGlite', args: ['--project', 'api'], missing: null },
  {
    name: 'postgres',
    title: 'storage, jobs and audit suites on PostgreSQL',
    args: ['--project', 'postgres'],
    missing: process.env.TIDINGS_TEST_DATABASE_URL
      ? null
      : 'TIDINGS_TEST_DATABASE_URL is not set (point it at an empty database to run it)',
  },
  {
    name: 'browser',
    title: 'browser tests in Chromium',
    args: ['--config', 'test/browser/vitest.config.ts'],
    missing: chromium ? null : 'no Chromium found (apt-get install chromium, or set CHROMIUM_PATH)',
    before: () => run('npm', ['run', '--silent', 'build:web']),
    env: { CHROMIUM_PATH: chromium ?? '' },
  },
];

function run(command, args, env = {}) {
  return spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;
}

const totals = { passed: 0, failed: 0, skipped: 0 };
const summary = [];
let failedTiers = 0;

for (const tier of tiers) {
  if (only.length && !only.includes(tier.name)) continue;
  if (tier.missing) {
    summary.push(`${tier.name}: not run: ${tier.missing}${ci ? ' (a failure under CI)' : ''}`);
    console.log(`\n▸ ${tier.title}: not run: ${tier.missing}`);
    if (ci) failedTiers++;
    continue;
  }
  console.log(`\n▸ ${tier.title}`);
  if (tier.before && tier.before() !== 0) {
    summary.push(`${tier.name}: could not prepare`);
    failedTiers++;
    continue;
  }
  const report = path.join(reportDir, `${tier.name}.json`);
  const status = run(
    'npx',
    ['vitest', 'run', ...tier.args, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
    tier.env,
  );
  const counts = fs.existsSync(report) ? JSON.parse(fs.readFileSync(report, 'utf8')) : undefined;
  const passed = counts?.numPassedTests ?? 0;
  // A file that fails to load has no failed test of its own; count it once so it cannot pass unseen.
  const failed = (counts?.numFailedTests ?? 0) || (status !== 0 ? 1 : 0);
  const skipped = (counts?.numPendingTests ?? 0) + (counts?.numTodoTests ?? 0);
  totals.passed += passed;
  totals.failed += failed;
  totals.skipped += skipped;
  if (status !== 0 || passed === 0) failedTiers++;
  summary.push(
    `${tier.name}: ${passed} passed, ${failed} failed${status !== 0 && failed === 0 ? ` (exit code ${status})` : ''}`,
  );
}

fs.rmSync(reportDir, { recursive: true, force: true });
console.log(`\nTiers:\n  ${summary.join('\n  ')}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedTiers > 0 || totals.failed > 0 ? 1 : 0);
