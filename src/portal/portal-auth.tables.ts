import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { customerContacts, customers } from '../customers/customers.tables.js';

/**
 * A sign-in link sent by email: only the sha256 of its token is stored. Used once (`usedAt`), within
 * its expiry; rows of used and expired links are deleted as new ones are made.
 */
export const portalSignInLinks = pgTable(
  'portal_sign_in_links',
  {
    tokenHash: text('token_hash').primaryKey(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    /** The organization contact the link was sent to; null when it went to the customer's own address. */
    contactId: uuid('contact_id').references(() => customerContacts.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (table) => [index('portal_sign_in_links_expires_idx').on(table.expiresAt)],
);

/**
 * A customer's portal session, a realm apart from staff sessions: the cookie carries a random secret,
 * only its sha256 is stored. It ends at `expiresAt`, after a spell unused (`lastSeenAt`), or when revoked.
 */
export const portalSessions = pgTable(
  'portal_sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    contactId: uuid('contact_id').references(() => customerContacts.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    csrfToken: text('csrf_token').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (table) => [
    index('portal_sessions_customer_idx').on(table.customerId),
    index('portal_sessions_expires_idx').on(table.expiresAt),
  ],
);
