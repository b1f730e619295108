import { index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Signatures of gateway receipts already applied, kept for as long as the signature would be
 * accepted: a receipt sent again with the same signature is refused instead of applied twice.
 */
export const gatewayReceiptSignatures = pgTable(
  'gateway_receipt_signatures',
  {
    digest: text('digest').primaryKey(),
    signedAt: timestamp('signed_at', { withTimezone: true }).notNull(),
  },
  (table) => [index('gateway_receipt_signatures_signed_idx').on(table.signedAt)],
);
