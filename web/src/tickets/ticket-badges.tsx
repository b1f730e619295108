import { formatDateTime } from '../ui/format.js';
import type { Ticket } from './tickets.api.js';
import {
  kindLabels,
  priorityLabels,
  slaLabels,
  statusLabels,
  type SlaTargetState,
  type TicketKind,
  type TicketPriority,
  type TicketStatus,
} from './ticket-vocabulary.js';

export function TicketStatusBadge({ status }: { status: string }) {
  const known = status as TicketStatus;
  return <span className={`badge ticket-status ticket-status-${known}`}>{statusLabels[known] ?? status}</span>;
}

export function PriorityBadge({ priority }: { priority: string }) {
  const known = priority as TicketPriority;
  return <span className={`badge ticket-priority ticket-priority-${known}`}>{priorityLabels[known] ?? priority}</span>;
}

export const kindLabel = (kind: string) => kindLabels[kind as TicketKind] ?? kind;

/** Targets still owed: the badge of a list row speaks of the first of these it finds. */
const pending: readonly SlaTargetState[] = ['breached', 'due_soon', 'running', 'paused'];

type Target = { name: string; state: SlaTargetState; dueAt: string | null; breachedAt: string | null };

function targetsOf(ticket: Ticket): Target[] {
  return [
    {
      name: 'First response',
      state: ticket.sla.firstResponse,
      dueAt: ticket.firstResponseDueAt,
      breachedAt: ticket.firstResponseBreachedAt,
    },
    {
      name: 'Resolution',
      state: ticket.sla.resolution,
      dueAt: ticket.resolutionDueAt,
      breachedAt: ticket.resolutionBreachedAt,
    },
  ];
}

const hintOf = (target: Target) =>
  target.state === 'paused'
    ? `${target.name}: the clock stands still while the customer is asked`
    : target.dueAt
      ? `${target.name} due ${formatDateTime(target.dueAt)}`
      : target.name;

/** One SLA target's state as a coloured badge, its due time in the hint. */
export function SlaBadge({ target, named = false }: { target: Target; named?: boolean }) {
  return (
    <span className={`badge sla-badge sla-${target.state}`} title={hintOf(target)}>
      {named ? `${target.name}: ${slaLabels[target.state].toLowerCase()}` : slaLabels[target.state]}
    </span>
  );
}

/**
 * What a list row says of a ticket's SLA: the most pressing target still owed (a breach before a
 * target due soon), else how the resolution target ended; nothing when no policy applies.
 */
export function SlaSummary({ ticket }: { ticket: Ticket }) {
  const targets = targetsOf(ticket);
  const owed = pending
    .map((state) => targets.find((target) => target.state === state))
    .find((target) => target !== undefined);
  const shown = owed ?? targets[1]!;
  if (shown.state === 'none') return <span className="muted">—</span>;
  return <SlaBadge target={shown} named={owed !== undefined} />;
}

/** Both SLA targets of a ticket with their due times, for the ticket page. */
export function SlaTargets({ ticket }: { ticket: Ticket }) {
  const targets = targetsOf(ticket);
  if (targets.every((target) => target.state === 'none'))
    return <p className="muted small">No service-level policy applies to this ticket.</p>;
  return (
    <dl className="ticket-sla" aria-label="Service level">
      {targets.map((target) => (
        <div key={target.name}>
          <dt>{target.name}</dt>
          <dd>
            <SlaBadge target={target} />{' '}
            <span className="muted small">
              {target.breachedAt
                ? `breached ${formatDateTime(target.breachedAt)}`
                : target.dueAt && `due ${formatDateTime(target.dueAt)}`}
            </span>
          </dd>
        </div>
      ))}
    </dl>
  );
}
