import { and, eq, inArray } from 'drizzle-orm';
import { customers } from '../customers/customers.tables.js';
import type { Executor } from '../db/database.js';
import { documents } from '../documents/documents.tables.js';
import { keyset } from '../shared/cursor.js';
import { notFound } from '../shared/errors.js';
import { tickets } from '../tickets/tickets.tables.js';
import { nextScanStatus, scanStatusesFor, type ScanEvent } from './scan-lifecycle.js';
import { scans } from './scans.tables.js';

export type ScanRow = typeof scans.$inferSelect;

/** Lists show the newest scan first; scans received in one instant are ordered by id. */
export const newestFirst = keyset(
  [
    { expression: scans.receivedAt, type: 'timestamptz' },
    { expression: scans.id, type: 'uuid' },
  ],
  'desc',
);

export async function loadScan(executor: Executor, id: string): Promise<ScanRow> {
  const [row] = await executor.select().from(scans).where(eq(scans.id, id));
  if (!row) throw notFound('scan', id);
  return row;
}

export const presentedScans = (executor: Executor) =>
  executor
    .select({
      scan: scans,
      customerName: customers.name,
      ticketNumber: tickets.number,
      documentTitle: documents.title,
      position: newestFirst.position,
    })
    .from(scans)
    .leftJoin(customers, eq(customers.id, scans.customerId))
    .leftJoin(tickets, eq(tickets.id, scans.ticketId))
    .leftJoin(documents, eq(documents.id, scans.documentId));

export function presentScan(
  row: Omit<Awaited<ReturnType<ReturnType<typeof presentedScans>['where']>>[number], 'position'>,
) {
  const { sha256: _sha256, inboundMessageId: _message, attachmentIndex: _index, ...scan } = row.scan;
  return {
    ...scan,
    customerName: row.customerName,
    ticketNumber: row.ticketNumber,
    documentTitle: row.documentTitle,
  };
}

export async function presentOneScan(executor: Executor, id: string) {
  const [row] = await presentedScans(executor).where(eq(scans.id, id));
  if (!row) throw notFound('scan', id);
  return presentScan(row);
}

/** Moves a scan by the lifecycle's table, guarded by the statuses the event may leave; false when another got there first. */
export async function moveScan(executor: Executor, scan: ScanRow, event: ScanEvent, change: Partial<ScanRow> = {}) {
  const status = nextScanStatus(event, scan);
  const [moved] = await executor
    .update(scans)
    .set({ ...change, status })
    .where(and(eq(scans.id, scan.id), inArray(scans.status, scanStatusesFor(event))))
    .returning();
  return moved;
}
