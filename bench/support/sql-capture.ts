import pg from 'pg';

/** One statement as sent to PostgreSQL through the `pg` driver: its text and parameters. */
export type CapturedStatement = { text: string; values: unknown[] };

/**
 * Runs `work` and returns, with its result, every statement this process sent through
 * `pg.Client#query` meanwhile (Drizzle's node-postgres driver and `pg.Pool` both end there). Used to
 * EXPLAIN the exact SQL a service function sends, rather than a hand-written copy of it. Not for
 * concurrent use with other measurements: it wraps the prototype while `work` runs.
 */
export async function captureStatements<T>(
  work: () => Promise<T>,
): Promise<{ result: T; statements: CapturedStatement[] }> {
  const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = prototype.query;
  const statements: CapturedStatement[] = [];
  prototype.query = function (this: unknown, ...args: unknown[]) {
    const [first, second] = args;
    const config =
      typeof first === 'object' && first !== null ? (first as { text?: unknown; values?: unknown }) : undefined;
    const text = typeof first === 'string' ? first : typeof config?.text === 'string' ? config.text : undefined;
    if (text !== undefined) {
      const values = Array.isArray(second) ? second : Array.isArray(config?.values) ? config.values : [];
      statements.push({ text, values: [...values] });
    }
    return original.apply(this, args);
  };
  try {
    const result = await work();
    return { result, statements };
  } finally {
    prototype.query = original;
  }
}

type PlanNode = {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Actual Total Time'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  'Heap Blocks'?: number;
  'Exact Heap Blocks'?: number;
  'Lossy Heap Blocks'?: number;
  Plans?: PlanNode[];
};

/**
 * A one-line summary of `EXPLAIN (ANALYZE, FORMAT JSON)` output: the plan's nodes depth-first as
 * "Node on relation/index (rows, ms)", then planning and execution time.
 */
export function summarizePlan(explainJson: unknown): string {
  const root = (Array.isArray(explainJson) ? explainJson[0] : explainJson) as {
    Plan: PlanNode;
    'Planning Time'?: number;
    'Execution Time'?: number;
  };
  const parts: string[] = [];
  const walk = (node: PlanNode, depth: number) => {
    const target = node['Index Name'] ?? node['Relation Name'];
    const figures = [
      node['Actual Rows'] != null
        ? `rows ${node['Actual Rows']}${(node['Actual Loops'] ?? 1) > 1 ? `×${node['Actual Loops']}` : ''}`
        : undefined,
      node['Rows Removed by Filter'] ? `filtered ${node['Rows Removed by Filter']}` : undefined,
      node['Rows Removed by Index Recheck'] ? `rechecked-out ${node['Rows Removed by Index Recheck']}` : undefined,
      node['Lossy Heap Blocks'] ? `lossy blocks ${node['Lossy Heap Blocks']}` : undefined,
      node['Actual Total Time'] != null ? `${node['Actual Total Time'].toFixed(1)} ms` : undefined,
    ].filter(Boolean);
    parts.push(
      `${'>'.repeat(depth)}${node['Node Type']}${target ? ` ${target}` : ''}${figures.length ? ` (${figures.join(', ')})` : ''}`,
    );
    for (const child of node.Plans ?? []) walk(child, depth + 1);
  };
  walk(root.Plan, 0);
  return `${parts.join('; ')} | planning ${root['Planning Time']?.toFixed(1) ?? '?'} ms, execution ${root['Execution Time']?.toFixed(1) ?? '?'} ms`;
}
