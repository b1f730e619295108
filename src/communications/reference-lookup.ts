import { and, between, eq } from 'drizzle-orm';
import { customers } from '../customers/customers.tables.js';
import type { Executor } from '../db/database.js';
import { templates, templateVersions } from '../templates/templates.tables.js';
import { communicationIdRange, referenceCodeOf } from './reference-code.js';
import { communications } from './communications.tables.js';

/** A communication as a paper answer names it: enough to file the answer and tell staff what it answers. */
export type ReferencedCommunication = {
  id: string;
  reference: string;
  customerId: string;
  customerName: string;
  channel: string | null;
  status: string;
  templateName: string;
  templateVersionNumber: number;
  sentAt: Date | null;
  createdAt: Date;
};

const columns = {
  id: communications.id,
  customerId: communications.customerId,
  customerName: customers.name,
  channel: communications.channel,
  status: communications.status,
  templateName: templates.name,
  templateVersionNumber: templateVersions.number,
  sentAt: communications.sentAt,
  createdAt: communications.createdAt,
};

const select = (executor: Executor) =>
  executor
    .select(columns)
    .from(communications)
    .innerJoin(customers, eq(customers.id, communications.customerId))
    .innerJoin(templates, eq(templates.id, communications.templateId))
    .innerJoin(templateVersions, eq(templateVersions.id, communications.templateVersionId));

/**
 * The communications a reference code can name: a range scan of the primary key, so one row read
 * whatever the table's size. Empty for a code whose check character fails or that names nothing;
 * two rows only in the rare case of ids that share their first 45 bits (see reference-code.ts).
 */
export async function communicationsByReference(executor: Executor, code: string): Promise<ReferencedCommunication[]> {
  const range = communicationIdRange(code);
  if (!range) return [];
  const rows = await select(executor)
    .where(between(communications.id, range.from, range.to))
    .limit(2);
  return rows.map((row) => ({ ...row, reference: referenceCodeOf(row.id) }));
}

/** One communication of one customer, as filing by hand names it; undefined when it is not theirs. */
export async function customersCommunication(
  executor: Executor,
  customerId: string,
  communicationId: string,
): Promise<ReferencedCommunication | undefined> {
  const [row] = await select(executor).where(
    and(eq(communications.id, communicationId), eq(communications.customerId, customerId)),
  );
  return row && { ...row, reference: referenceCodeOf(row.id) };
}
