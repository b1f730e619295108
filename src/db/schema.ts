// Every domain's tables, gathered for the query builder and for `npm run db:generate`.
export * from '../users/users.tables.js';
export * from '../auth/auth.tables.js';
export * from '../audit/audit.tables.js';
export * from '../jobs/jobs.tables.js';
export * from '../customers/customers.tables.js';
export * from '../timeline/timeline.tables.js';
export * from '../templates/templates.tables.js';
export * from '../communications/communications.tables.js';
export * from '../communications/receipts.tables.js';
export * from '../notifications/notifications.tables.js';
export * from '../tickets/tickets.tables.js';
export * from '../tickets/sla/sla.tables.js';
export * from '../tickets/portal-tickets.tables.js';
export * from '../knowledge/knowledge.tables.js';
export * from '../inbound/inbound.tables.js';
export * from '../portal/portal-auth.tables.js';
export * from '../documents/documents.tables.js';
