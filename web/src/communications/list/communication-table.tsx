import { Link } from 'react-router-dom';
import { channelLabels } from '../../customers/customer-vocabulary.js';
import { DataTable, orDash } from '../../ui/data-table.js';
import type { Communication } from '../communications.api.js';
import { StatusBadge } from '../status-badges.js';

export function CommunicationTable({ communications }: { communications: Communication[] }) {
  return (
    <DataTable
      label="Communications"
      rows={communications}
      rowKey={(communication) => communication.id}
      columns={(column) => [
        column.link('Communication', (communication) => ({
          to: `/communications/${communication.id}`,
          label: communication.templateName,
          note: communication.batchRunId && (
            <Link to={`/communications/runs/${communication.batchRunId}`}>From a batch run</Link>
          ),
        })),
        {
          header: 'Customer',
          cell: (communication) => (
            <Link to={`/customers/${communication.customerId}`}>{communication.customerName}</Link>
          ),
        },
        {
          header: 'Channel',
          className: 'nowrap',
          cell: (communication) =>
            communication.channel ? (
              channelLabels[communication.channel]
            ) : (
              <span className="muted">Not routed yet</span>
            ),
        },
        { header: 'Address', className: 'comm-address-cell', cell: (communication) => orDash(communication.address) },
        {
          header: 'Status',
          cell: (communication) => (
            <>
              <StatusBadge status={communication.status} />
              {communication.statusReason && (
                <div className="muted small comm-reason">{communication.statusReason}</div>
              )}
            </>
          ),
        },
        column.date('Created', (communication) => communication.createdAt),
      ]}
    />
  );
}
