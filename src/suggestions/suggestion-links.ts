import { asc, eq } from 'drizzle-orm';
import type { Database, Executor } from '../db/database.js';
import { kpiDefinitions } from '../insights/kpis/kpi-registry.js';
import { AppError } from '../shared/errors.js';
import { templates } from '../templates/templates.tables.js';
import { ticketQueues } from '../tickets/tickets.tables.js';
import type { SuggestionLinkKind } from './suggestions.tables.js';

/** The ways of working a suggestion may be about that are no record of their own. */
export const workflows: Record<string, string> = {
  template_review: 'Template review and publishing',
  document_review: 'Document review',
  ticket_handling: 'Ticket handling',
  scan_filing: 'Filing scanned mail',
  print_batches: 'Print batches',
  customer_import: 'Customer import',
};

export type SuggestionLink = { kind: SuggestionLinkKind; id: string };

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const linkNotFound = (link: SuggestionLink) =>
  new AppError('not_found', 'suggestions.link_not_found', `There is no ${link.kind} ${link.id} to link to.`, [
    { path: 'body.link.id', message: `names no ${link.kind}` },
  ]);

/** What a link is called; null when what it names is gone (a queue removed since). */
export async function linkLabel(executor: Executor, link: SuggestionLink): Promise<string | null> {
  switch (link.kind) {
    case 'workflow':
      return Object.hasOwn(workflows, link.id) ? workflows[link.id]! : null;
    case 'kpi':
      return kpiDefinitions.find((definition) => definition.key === link.id)?.name ?? null;
    case 'queue': {
      if (!uuidPattern.test(link.id)) return null;
      const [queue] = await executor
        .select({ name: ticketQueues.name })
        .from(ticketQueues)
        .where(eq(ticketQueues.id, link.id));
      return queue?.name ?? null;
    }
    case 'template': {
      if (!uuidPattern.test(link.id)) return null;
      const [template] = await executor
        .select({ name: templates.name })
        .from(templates)
        .where(eq(templates.id, link.id));
      return template?.name ?? null;
    }
  }
}

/** A link must name something that is there when the suggestion is made. */
export async function checkedLink(executor: Executor, link: SuggestionLink) {
  const label = await linkLabel(executor, link);
  if (label === null) throw linkNotFound(link);
  return label;
}

/**
 * Everything a suggestion may be linked to, by name, for the form that makes one. Its two reads go
 * at once, so it takes the pool: a transaction's one connection would be sent both together.
 */
export async function linkOptions(db: Database) {
  const [queues, templateRows] = await Promise.all([
    db.select({ id: ticketQueues.id, name: ticketQueues.name }).from(ticketQueues).orderBy(asc(ticketQueues.name)),
    db.select({ id: templates.id, name: templates.name }).from(templates).orderBy(asc(templates.name)).limit(1000),
  ]);
  return {
    queue: queues,
    template: templateRows,
    workflow: Object.entries(workflows).map(([id, name]) => ({ id, name })),
    kpi: kpiDefinitions.map((definition) => ({ id: definition.key, name: definition.name })),
  };
}
