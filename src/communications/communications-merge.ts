import { sql, type SQL } from 'drizzle-orm';
import { rows, type Executor } from '../db/database.js';
import type { LinkedRecords } from '../customers/merge.service.js';
import { communications } from './communications.tables.js';

/**
 * The merged customer's communications, save those of a batch run that reached the survivor too: a
 * run holds one communication per customer (what makes a resumed run send no one twice), so that copy
 * stays with the merged customer, whose page still shows it.
 */
function movable(fromCustomerId: string, toCustomerId: string): SQL {
  return sql`${communications.customerId} = ${fromCustomerId} and not exists (
    select 1 from ${communications} survivor
    where survivor.customer_id = ${toCustomerId} and survivor.batch_run_id = ${communications.batchRunId})`;
}

/** How communications follow a customer merge: the survivor's list and portal inbox show them. */
export const communicationsFollowMerge: LinkedRecords = {
  label: 'communications',
  async count(executor: Executor, fromCustomerId: string, toCustomerId: string) {
    const [row] = await rows<{ n: number }>(
      executor,
      sql`select count(*)::int as n from ${communications} where ${movable(fromCustomerId, toCustomerId)}`,
    );
    return row?.n ?? 0;
  },
  async move(tx: Executor, fromCustomerId: string, toCustomerId: string) {
    const moved = await rows<{ id: string }>(
      tx,
      sql`update ${communications} set customer_id = ${toCustomerId}
        where ${movable(fromCustomerId, toCustomerId)} returning id`,
    );
    return moved.length;
  },
};
