/**
 * `npm run bench [-- --only <section>[,<section>]]`: runs the bench sections in order and prints one
 * table. Speed is reported as ratios against raw baselines measured in the same run on this
 * machine, never as absolute pass/fail. The same figures go to bench/results/latest.json.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { apiSection } from './sections/api.js';
import { customersSection } from './sections/customers.js';
import { deliverySection } from './sections/delivery.js';
import { importSection } from './sections/import.js';
import { insightsSection } from './sections/insights.js';
import { inboundSection } from './sections/inbound.js';
import { jobsSection } from './sections/jobs.js';
import { portalSection } from './sections/portal.js';
import { renderingSection } from './sections/rendering.js';
import { searchSection } from './sections/search.js';
import { startSection } from './sections/start.js';
import { ticketsSection } from './sections/tickets.js';
import { runAllCleanups } from './support/cleanup.js';
import { renderTable, type Row, type Section } from './support/report.js';
import { elapsedMs, now } from './support/stats.js';

/** Every section, in the order they run. */
const sections: Section[] = [
  apiSection,
  jobsSection,
  customersSection,
  ticketsSection,
  portalSection,
  inboundSection,
  importSection,
  renderingSection,
  deliverySection,
  startSection,
  searchSection,
  insightsSection,
];

const resultsFile = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results', 'latest.json');
const log = (text: string) => process.stderr.write(`${text}\n`);
/** Drizzle puts the whole SQL text in its errors; a bulk insert's is megabytes long. */
const clip = (text: string, max = 600) =>
  text.length > max ? `${text.slice(0, max)}… [${text.length - max} more characters]` : text;
let interrupted = false;

function selectSections(): Section[] {
  const { values } = parseArgs({
    options: { only: { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: false,
  });
  if (values.help) {
    log(
      `usage: npm run bench [-- --only <section>[,<section>]]\nsections: ${sections.map((section) => `${section.name} (${section.title})`).join('; ')}`,
    );
    process.exit(0);
  }
  if (!values.only) return sections;
  const wanted = values.only
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter(Boolean);
  const unknown = wanted.filter((name) => !sections.some((section) => section.name === name));
  if (unknown.length > 0) {
    log(`unknown section: ${unknown.join(', ')} (known: ${sections.map((section) => section.name).join(', ')})`);
    process.exit(2);
  }
  return sections.filter((section) => wanted.includes(section.name));
}

async function main() {
  const selected = selectSections();
  const startedAt = new Date();
  const started = now();
  const rows: Row[] = [];
  const notes: string[] = [];
  const failures: { section: string; error: string }[] = [];
  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${os.release()}`,
  };
  const loadAtStart = os.loadavg()[0]!;
  log(
    `Tidings bench: ${selected.map((section) => section.name).join(', ')} on ${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}`,
  );

  for (const section of selected) {
    if (interrupted) break;
    const sectionStart = now();
    log(`\n== ${section.name}: ${section.title}`);
    try {
      await section.run({
        record(row) {
          rows.push({ section: section.name, ...row });
          log(
            `   ${row.name}: ${row.value == null ? '—' : row.value.toFixed(1)} ${row.unit}${row.ratio != null ? ` (ratio ${row.ratio.toFixed(3)})` : ''}`,
          );
        },
        note: (text) => notes.push(text),
        log: (text) => log(`   ${text}`),
      });
    } catch (error) {
      const message = interrupted
        ? 'interrupted'
        : clip(error instanceof Error ? (error.stack ?? error.message) : String(error));
      failures.push({ section: section.name, error: message });
      notes.push(`${section.name}: FAILED: ${clip(message.split('\n')[0]!, 300)}`);
      if (!interrupted) log(message);
    } finally {
      await runAllCleanups((error) => log(`cleanup failed: ${String(error)}`));
    }
    log(`   (${section.name} took ${(elapsedMs(sectionStart) / 1000).toFixed(1)} s)`);
  }

  const durationS = elapsedMs(started) / 1000;
  const loadAtEnd = os.loadavg()[0]!;
  // Baselines and subjects run one after the other: other work on the machine skews their ratio.
  if (Math.max(loadAtStart, loadAtEnd) > machine.cpus * 0.75) {
    notes.push(
      `machine busy: 1-minute load average ${loadAtStart.toFixed(1)} at start, ${loadAtEnd.toFixed(1)} at end, on ${machine.cpus} cores; figures and ratios are noisy, rerun on an idle machine to compare.`,
    );
  }
  // maxRSS is in kilobytes on Linux and macOS.
  const peakRssMb = process.resourceUsage().maxRSS / 1024;

  const output = [
    '',
    `Tidings bench, ${startedAt.toISOString()}: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGb} GB, Node ${machine.node}`,
    '',
    renderTable(rows),
    '',
    ...notes.map((note) => `* ${note}`),
    '',
    `Total ${durationS.toFixed(1)} s; peak RSS of the bench process ${peakRssMb.toFixed(0)} MB (load generator excluded).`,
  ];
  process.stdout.write(`${output.join('\n')}\n`);

  await fs.mkdir(path.dirname(resultsFile), { recursive: true });
  await fs.writeFile(
    resultsFile,
    `${JSON.stringify({ startedAt: startedAt.toISOString(), durationS, machine, sections: selected.map((section) => section.name), loadAverage: { start: loadAtStart, end: loadAtEnd }, rows, notes, failures, peakRssMb }, null, 2)}\n`,
  );
  log(`figures written to ${path.relative(process.cwd(), resultsFile)}`);
  // A failed section may leave work behind (a job worker mid-run) that would keep the process and the machine busy.
  if (failures.length > 0) process.exit(1);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    log(`\n${signal}: cleaning up`);
    void runAllCleanups((error) => log(`cleanup failed: ${String(error)}`)).finally(() => process.exit(130));
  });
}

await main();
