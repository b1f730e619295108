#!/usr/bin/env node
// `npm test`: runs every test tier whose part is present. A tier that cannot run says so in one
// line; under CI=true a missing tier is a failure, never a silent skip.
import { spawn } from 'node:child_process';
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
    // The browser tier mostly waits on its servers and Chromium: beside it, this tier and the browser
    // tier's two files at a time keep both cores busy and end together (331 s, against 388 s with one
    // browser file at a time and 423 s one tier after the other; measured 2026-12-06).
    besideNext: true,
  },
  {
    name: 'browser',
    title: 'browser tests in Chromium',
    args: ['--config', 'test/browser/vitest.config.ts'],
    missing: chromium ? null : 'no Chromium found (apt-get install chromium, or set CHROMIUM_PATH)',
    before: ['npm', 'run', '--silent', 'build:web'],
    env: { CHROMIUM_PATH: chromium ?? '' },
  },
];

/** Runs a command to its end; its output goes to the terminal, or to the file descriptor `output`. */
function run(command, args, env = {}, output) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      stdio: output === undefined ? 'inherit' : ['ignore', output, output],
      env: { ...process.env, ...env },
    });
    child.on('error', () => resolve(1));
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

/** Runs one tier; answers its line for the summary, its counts and whether it failed. */
async function runTier(tier, output) {
  if (tier.missing) {
    console.log(`\n▸ ${tier.title}: not run: ${tier.missing}`);
    return {
      line: `${tier.name}: not run: ${tier.missing}${ci ? ' (a failure under CI)' : ''}`,
      failed: ci,
      counts: { passed: 0, failed: 0, skipped: 0 },
    };
  }
  if (tier.before && (await run(tier.before[0], tier.before.slice(1), {}, output)) !== 0)
    return { line: `${tier.name}: could not prepare`, failed: true, counts: { passed: 0, failed: 0, skipped: 0 } };
  const report = path.join(reportDir, `${tier.name}.json`);
  const status = await run(
    'npx',
    ['vitest', 'run', ...tier.args, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
    tier.env,
    output,
  );
  const counts = fs.existsSync(report) ? JSON.parse(fs.readFileSync(report, 'utf8')) : undefined;
  const passed = counts?.numPassedTests ?? 0;
  // A file that fails to load has no failed test of its own; count it once so it cannot pass unseen.
  const failed = (counts?.numFailedTests ?? 0) || (status !== 0 ? 1 : 0);
  const skipped = (counts?.numPendingTests ?? 0) + (counts?.numTodoTests ?? 0);
  return {
    line: `${tier.name}: ${passed} passed, ${failed} failed${status !== 0 && failed === 0 ? ` (exit code ${status})` : ''}`,
    failed: status !== 0 || passed === 0,
    counts: { passed, failed, skipped },
    failures: counts ? failuresIn(counts) : [],
  };
}

/**
 * The failed tests of a vitest JSON report, a line each with the first line of its error: the summary
 * repeats them, so the end of a long CI log says what failed without a search through it.
 */
function failuresIn(report) {
  const lines = [];
  for (const file of report.testResults ?? []) {
    const name = path.relative(process.cwd(), file.name);
    const failedTests = (file.assertionResults ?? []).filter((test) => test.status === 'failed');
    for (const test of failedTests) lines.push(`${name} › ${test.fullName}: ${firstLine(test.failureMessages?.[0])}`);
    if (!failedTests.length && file.status === 'failed') lines.push(`${name}: ${firstLine(file.message)}`);
  }
  return lines;
}

function firstLine(text) {
  const line = (text ?? '').split('\n').find((candidate) => candidate.trim()) ?? '';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

const selected = tiers.filter((tier) => !only.length || only.includes(tier.name));
const results = [];
for (let index = 0; index < selected.length; index++) {
  const tier = selected[index];
  const next = selected[index + 1];
  if (tier.besideNext && next && !tier.missing && !next.missing) {
    // Beside the next tier, this one writes to a file, shown after both ended: outputs never interleave.
    console.log(`\n▸ ${tier.title}: runs beside the next tier; its output follows that tier's`);
    const log = path.join(reportDir, `${tier.name}.log`);
    const output = fs.openSync(log, 'w');
    const beside = runTier(tier, output).finally(() => fs.closeSync(output));
    console.log(`\n▸ ${next.title}`);
    const [besideResult, nextResult] = await Promise.all([beside, runTier(next)]);
    console.log(`\n▸ ${tier.title} (run beside the ${next.name} tier)\n${fs.readFileSync(log, 'utf8')}`);
    results.push(besideResult, nextResult);
    index++;
  } else {
    if (!tier.missing) console.log(`\n▸ ${tier.title}`);
    results.push(await runTier(tier));
  }
}

fs.rmSync(reportDir, { recursive: true, force: true });
const totals = { passed: 0, failed: 0, skipped: 0 };
for (const { counts } of results) for (const key of Object.keys(totals)) totals[key] += counts[key];
const failures = results.flatMap((result) => result.failures ?? []);
if (failures.length) console.log(`\nFailed:\n  ${failures.join('\n  ')}`);
console.log(`\nTiers:\n  ${results.map((result) => result.line).join('\n  ')}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(results.some((result) => result.failed) || totals.failed > 0 ? 1 : 0);
