import { Link } from 'react-router-dom';
import { DataTable, orDash } from '../../ui/data-table.js';
import { kindLabel, PriorityBadge, SlaSummary, TicketStatusBadge } from '../ticket-badges.js';
import type { Ticket } from '../tickets.api.js';

/** Tickets as the inbox and a template version's complaints list them. */
export function TicketTable({ tickets, label = 'Tickets' }: { tickets: Ticket[]; label?: string }) {
  return (
    <DataTable
      label={label}
      rows={tickets}
      rowKey={(ticket) => ticket.id}
      columns={(column) => [
        column.link('Ticket', (ticket) => ({
          to: `/tickets/${ticket.id}`,
          label: `#${ticket.number} ${ticket.subject}`,
          note: (
            <>
              {kindLabel(ticket.kind)}
              {ticket.tags.length > 0 && ` · ${ticket.tags.join(', ')}`}
            </>
          ),
        })),
        {
          header: 'Customer',
          cell: (ticket) => <Link to={`/customers/${ticket.customerId}`}>{ticket.customerName}</Link>,
        },
        { header: 'Status', className: 'nowrap', cell: (ticket) => <TicketStatusBadge status={ticket.status} /> },
        { header: 'Priority', cell: (ticket) => <PriorityBadge priority={ticket.priority} /> },
        { header: 'SLA', className: 'nowrap', cell: (ticket) => <SlaSummary ticket={ticket} /> },
        { header: 'Assignee', cell: (ticket) => orDash(ticket.assigneeName) },
        { header: 'Queue', cell: (ticket) => orDash(ticket.queueName) },
        column.date('Updated', (ticket) => ticket.updatedAt),
      ]}
    />
  );
}
