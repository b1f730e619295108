import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { rows, type Executor } from '../db/database.js';

/** True when a disposition destroyed the content (archived copy and snapshot) of the communication with that id. */
export const communicationContentDestroyed = (communicationId: AnyPgColumn | SQL) =>
  sql`exists (select 1 from disposition_items i where i.object_type = 'communication'
    and i.object_id = ${communicationId} and i.status = 'destroyed')`;

/** Whether the communication's content is gone, for readers of its copy to answer that rather than miss the blob. */
export async function isCommunicationContentDestroyed(executor: Executor, communicationId: string) {
  const [found] = await rows<{ destroyed: boolean }>(
    executor,
    sql`select ${communicationContentDestroyed(sql`${communicationId}::uuid`)} as destroyed`,
  );
  return found?.destroyed ?? false;
}

/**
 * Who still needs a blob's bytes, by hash, after some records were disposed of in this transaction.
 * Documents' versions count unless their document is disposed; archived copies and snapshots unless
 * their communication's content was destroyed; ticket attachments always. Every other column of
 * the database named `*_sha256` counts too (print batches, imports, scans, exports, and whatever a
 * later domain adds), unless its row belongs to a disposed document (`document_id`: text extracted
 * from it, say), so a blob is only ever deleted when nothing live names it: when in doubt, kept.
 */
export async function liveReferences(executor: Executor, hashes: readonly string[]) {
  const found = new Map<string, string[]>();
  if (!hashes.length) return found;
  const wanted = sql`${`{${hashes.join(',')}}`}::text[]`;
  const named = await rows<{ sha256: string; holder: string }>(
    executor,
    sql`select v.content_sha256 as sha256, 'document ' || v.document_id as holder
        from document_versions v join documents d on d.id = v.document_id
        where v.content_sha256 = any(${wanted}) and d.status <> 'disposed'
      union
      select h.sha256, 'communication ' || c.id
        from communications c, lateral (values (c.archive_sha256), (c.snapshot_sha256)) as h(sha256)
        where (c.archive_sha256 = any(${wanted}) or c.snapshot_sha256 = any(${wanted})) and h.sha256 = any(${wanted})
          and not ${communicationContentDestroyed(sql`c.id`)}
      union
      select a ->> 'sha256', 'ticket ' || m.ticket_id
        from ticket_messages m, jsonb_array_elements(m.attachments) a
        where a ->> 'sha256' = any(${wanted})`,
  );
  for (const row of named) found.set(row.sha256, [...(found.get(row.sha256) ?? []), row.holder]);

  const otherColumns = await rows<{ table_name: string; column_name: string; of_document: boolean }>(
    executor,
    sql`select c.table_name, c.column_name, exists (select 1 from information_schema.columns d
          where d.table_schema = c.table_schema and d.table_name = c.table_name and d.column_name = 'document_id') as of_document
      from information_schema.columns c
      where c.table_schema = current_schema() and c.column_name like '%sha256' and c.data_type = 'text'
        and (c.table_name, c.column_name) not in (('document_versions', 'content_sha256'), ('documents', 'content_sha256'),
          ('communications', 'archive_sha256'), ('communications', 'snapshot_sha256'))`,
  );
  for (const column of otherColumns) {
    const table = sql.identifier(column.table_name);
    const name = sql.identifier(column.column_name);
    const hits = await rows<{ sha256: string }>(
      executor,
      sql`select distinct ${name} as sha256 from ${table} t where ${name} = any(${wanted})
        ${column.of_document ? sql`and not exists (select 1 from documents d where d.id = t.document_id and d.status = 'disposed')` : sql``}`,
    );
    for (const hit of hits)
      found.set(hit.sha256, [...(found.get(hit.sha256) ?? []), `${column.table_name}.${column.column_name}`]);
  }
  return found;
}
