import { sql, type SQL } from 'drizzle-orm';
import { uuidArray } from '../db/database.js';

/** One array parameter (drizzle would spread a JS array into a row of parameters). */
/**
 * A communication its customer received: handed over (sent, delivered), or waiting in the print
 * queue, which prints and posts it. Failed, bounced, suppressed and still queued items did not reach them.
 */
export const received = (alias: string) => sql.raw(`${alias}.status in ('sent', 'delivered', 'awaiting_print')`);

/**
 * The audience of a corrective mailing: each communication of the older versions that reached a
 * customer who can still be written to (not archived, not merged away) and who has not already got
 * (or been queued) the version being sent. Rows, not customers: a customer may have several.
 */
export function correctionAudience(olderVersionIds: readonly string[], sendVersionId: string): SQL {
  return sql`communications o
    join customers cu on cu.id = o.customer_id
    where o.template_version_id = any(${uuidArray(olderVersionIds)}) and ${received('o')}
      and cu.merged_into is null and cu.archived_at is null
      and not exists (
        select 1 from communications n
        where n.customer_id = o.customer_id and n.template_version_id = ${sendVersionId}
          and n.status not in ('failed', 'bounced', 'suppressed'))`;
}
