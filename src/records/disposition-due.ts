import { eq, sql } from 'drizzle-orm';
import { rows, type Executor } from '../db/database.js';
import { notFound } from '../shared/errors.js';
import { COMMUNICATIONS_CATEGORY } from './records.service.js';
import { recordCategories, type DispositionObjectType } from './records.tables.js';
import { addYears, dateOf, latestStartDue } from './retention.js';

/** The most records one batch lists; the rest wait for the next day's. */
export const BATCH_LIMIT = 5_000;

/** A record whose retention has ended, as a disposition batch lists it. */
export type Due = {
  type: DispositionObjectType;
  id: string;
  title: string;
  category: string;
  createdAt: Date;
  retainUntil: string;
};

/** Documents declared records whose retention end has come, not listed in a waiting batch, not excluded since it was set. */
export async function dueDocuments(executor: Executor, today: string): Promise<Due[]> {
  return rows<Due>(
    executor,
    sql`select 'document' as type, d.id, d.title, c.name as category, d.created_at as "createdAt",
        r.retain_until::text as "retainUntil"
      from document_records r
      join documents d on d.id = r.document_id
      join record_categories c on c.id = r.category_id
      where d.status = 'record' and r.retain_until <= ${today}::date
        and not exists (select 1 from disposition_items i join disposition_batches b on b.id = i.batch_id
          where i.object_type = 'document' and i.object_id = d.id
            and ((i.status = 'listed' and b.status = 'awaiting_approval')
              or (i.status = 'excluded' and i.decided_at >= r.retention_set_at)))
      order by r.retain_until, d.id
      limit ${BATCH_LIMIT}`,
  );
}

/** Archived communications past the built-in category's years, not yet destroyed, listed or excluded since the rule changed. */
export async function dueCommunications(executor: Executor, today: string, room: number): Promise<Due[]> {
  const category = await communicationsCategory(executor);
  if (category.trigger !== 'creation' || category.years === null || room <= 0) return [];
  const latest = latestStartDue(today, category.years);
  const found = await rows<{ id: string; title: string; createdAt: Date }>(
    executor,
    sql`select m.id, t.name || ' to ' || c.name || ' (' || coalesce(m.channel, 'no channel') || ')' as title,
        m.created_at as "createdAt"
      from communications m
      join templates t on t.id = m.template_id
      join customers c on c.id = m.customer_id
      where m.archive_sha256 is not null
        and m.created_at < ((${latest}::date + 1)::timestamp at time zone 'UTC')
        and not exists (select 1 from disposition_items i join disposition_batches b on b.id = i.batch_id
          where i.object_type = 'communication' and i.object_id = m.id
            and (i.status = 'destroyed' or (i.status = 'listed' and b.status = 'awaiting_approval')
              or (i.status = 'excluded' and i.decided_at >= ${category.updatedAt})))
      order by m.created_at, m.id
      limit ${room}`,
  );
  return found.map((row) => ({
    type: 'communication' as const,
    ...row,
    createdAt: new Date(row.createdAt),
    category: category.name,
    retainUntil: addYears(dateOf(new Date(row.createdAt)), category.years!),
  }));
}

/** The communications category's rule, for the disposition job. */
export async function communicationsCategory(executor: Executor) {
  const [category] = await executor.select().from(recordCategories).where(eq(recordCategories.builtIn, true));
  if (!category) throw notFound('record category', COMMUNICATIONS_CATEGORY);
  return category;
}
