import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTidings } from '../support/cli.js';
import { copyDemoDataFolder } from '../support/data-folder.js';

// A private copy of the demo data: its correspondence, tickets and goals.
const demoDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-insights-cli-'));
beforeAll(() => copyDemoDataFolder(demoDir), 240_000);
afterAll(() => fs.rmSync(demoDir, { recursive: true, force: true }));

const env = { ...process.env, TIDINGS_DATA_DIR: demoDir, LOG_LEVEL: 'warn', DATABASE_URL: '' };
const tidings = (...args: string[]) => runTidings(args, env);

const today = new Date();
const day = (offset: number) =>
  new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + offset)).toISOString();

describe('tidings insights', () => {
  it('prints a KPI per bucket as a table, and the same series as CSV', async () => {
    const period = ['--from', day(-6), '--to', day(1), '--bucket', 'day'];
    const table = await tidings('insights', 'kpi', 'backlog', ...period);
    expect(table.code).toBe(0);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toBe('Backlog (count, lower is better)');
    expect(lines[1]).toMatch(/^bucket\s+value\s+numerator\s+denominator$/);
    // Seven days, then the total.
    const rows = lines.slice(2).map((line) => line.trim().split(/\s+/));
    expect(rows.map((row) => row[0])).toEqual([
      ...Array.from({ length: 7 }, (_, i) => day(i - 6).slice(0, 10)),
      'total',
    ]);

    const csv = await tidings('insights', 'kpi', 'backlog', ...period, '--csv');
    expect(csv.code).toBe(0);
    const csvRows = csv.stdout
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(','));
    expect(csvRows.map((row) => [row[0], row[1]])).toEqual(rows.map((row) => [row[0], row[1]]));
  });

  it('refuses what the API refuses, naming the option', async () => {
    const bucket = await tidings('insights', 'kpi', 'backlog', '--bucket', 'hour');
    expect(bucket.code).not.toBe(0);
    expect(bucket.stderr).toMatch(/--bucket/);
    const filter = await tidings('insights', 'kpi', 'communications_sent', '--filter', 'channel=pigeon');
    expect(filter.code).not.toBe(0);
    expect(filter.stderr).toMatch(/--channel/);
    const unknown = await tidings('insights', 'kpi', 'happiness');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/There is no KPI "happiness"/);
  });
});
