/** One figure of the bench: a measurement, and when it has one, the raw baseline it is compared to. */
export type Row = {
  section: string;
  name: string;
  value: number | null;
  unit: string;
  baseline?: { name: string; value: number | null; unit: string };
  /** value / baseline.value */
  ratio?: number | null;
  /** Extra figures (latency percentiles, counts, settings) shown in the details column and kept in the JSON. */
  details?: Record<string, number | string>;
};

export type SectionContext = {
  /** Adds a figure to the report (and echoes it on stderr as progress). */
  record(row: Omit<Row, 'section'>): void;
  /** A line printed under the table: skipped parts, caveats, settings. */
  note(text: string): void;
  /** Progress on stderr, so stdout stays the table. */
  log(text: string): void;
};

export type Section = {
  name: string;
  title: string;
  run(context: SectionContext): Promise<void>;
};

const formatNumber = (value: number) => {
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
};

export const formatValue = (value: number | null | undefined, unit: string) =>
  value == null || !Number.isFinite(value) ? '—' : `${formatNumber(value)} ${unit}`;

export const formatRatio = (value: number | null | undefined) =>
  value == null || !Number.isFinite(value)
    ? '—'
    : `${value >= 10 ? value.toFixed(1) : value >= 0.1 ? value.toFixed(2) : value.toPrecision(2)}×`;

const formatDetails = (details: Row['details']) =>
  Object.entries(details ?? {})
    .map(([key, value]) => `${key} ${typeof value === 'number' ? formatNumber(value) : value}`)
    .join(', ');

export function renderTable(rows: Row[]): string {
  const header = ['section', 'measurement', 'result', 'baseline', 'ratio', 'details'];
  const body = rows.map((row) => [
    row.section,
    row.name,
    formatValue(row.value, row.unit),
    row.baseline ? `${formatValue(row.baseline.value, row.baseline.unit)} (${row.baseline.name})` : '',
    row.baseline ? formatRatio(row.ratio) : '',
    formatDetails(row.details),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...body.map((cells) => cells[column]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) =>
        column === 2 || column === 4 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!),
      )
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(header), rule, ...body.map(line)].join('\n');
}
