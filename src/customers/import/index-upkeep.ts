import { sql } from 'drizzle-orm';
import { rows, type Executor } from '../../db/database.js';
import { customers } from '../customers.tables.js';

/** The table is analyzed again once it has grown by this many rows, and by as many as it had. */
const REANALYZE_MIN_ROWS = 10_000;

/**
 * Keeps the batch lookups fast on a table an import is filling. PGlite runs no autovacuum: without
 * this the statistics keep describing the table as it was before the import (the planner then
 * compares every stored customer with every key of a batch), and new addresses pile up in the
 * emails index's pending list, which every lookup reads through. The planner scales a stale row
 * count by the table's current size on its own, so the statistics are renewed only when the table
 * has doubled: an analyze of a large table costs as much as writing thousands of rows, and renewing
 * at every fifth (as autovacuum would) took a quarter of an import into an empty table.
 */
export function customerIndexUpkeep(executor: Executor) {
  let analyzedRows = -1;
  let grownBy = 0;
  return {
    async beforeBatch() {
      if (analyzedRows < 0 || grownBy >= Math.max(REANALYZE_MIN_ROWS, analyzedRows)) {
        await executor.execute(sql`analyze ${customers}`);
        const [table] = await rows<{ estimate: number }>(
          executor,
          sql`select reltuples::float8 as estimate from pg_class where oid = 'customers'::regclass`,
        );
        analyzedRows = Math.max(0, table?.estimate ?? 0);
        grownBy = 0;
      }
      await executor.execute(sql`select gin_clean_pending_list('customers_emails_idx'::regclass)`);
    },
    grew(by: number) {
      grownBy += by;
    },
  };
}
