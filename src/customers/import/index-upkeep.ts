import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/database.js';

/**
 * Keeps a batch's email lookups fast on a table an import is filling: new addresses pile up in the
 * emails index's pending list, which every lookup reads through, so the list is merged into the
 * index before each batch. The lookups need no fresh statistics meanwhile: their join on `@>` can
 * only be planned as one index probe per key, and the planner scales a stale row count by the
 * table's current size on its own (renewing them as the table doubled took 13 % of an import).
 */
export async function mergePendingEmails(executor: Executor) {
  await executor.execute(sql`select gin_clean_pending_list('customers_emails_idx'::regclass)`);
}
