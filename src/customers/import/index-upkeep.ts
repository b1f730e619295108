import { sql } from 'drizzle-orm';
import { rows, type Executor } from '../../db/database.js';
import { customers } from '../customers.tables.js';

/**
 * Keeps the batch lookups fast on a table an import is filling. PGlite runs no autovacuum: without
 * this the statistics keep describing the table as it was before the import (the planner then
 * compares every stored customer with every key of a batch), and new addresses pile up in the
 * emails index's pending list, which every lookup reads through. Statistics are renewed whenever
 * the table has grown by a fifth, as autovacuum's default would.
 */
export function customerIndexUpkeep(executor: Executor) {
  let analyzedRows = -1;
  let grownBy = 0;
  return {
    async beforeBatch() {
      if (analyzedRows < 0 || grownBy >= Math.max(1000, analyzedRows / 5)) {
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
