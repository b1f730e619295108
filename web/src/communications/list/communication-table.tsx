import { Link } from 'react-router-dom';
import { channelLabels } from '../../customers/customer-vocabulary.js';
import { formatDateTime } from '../../ui/format.js';
import type { Communication } from '../communications.api.js';
import { StatusBadge } from '../status-badges.js';

const waitsForPrint = (communication: Communication) =>
  communication.status === 'rendered' && communication.transport === 'print' && !communication.printBatchId;

export function CommunicationTable({ communications }: { communications: Communication[] }) {
  return (
    <div className="table-wrap">
      <table className="table" aria-label="Communications">
        <thead>
          <tr>
            <th>Communication</th>
            <th>Customer</th>
            <th>Channel</th>
            <th>Address</th>
            <th>Status</th>
            <th>Created</th>
          </tr>
        </thead>
        <tbody>
          {communications.map((communication) => (
            <tr key={communication.id}>
              <td>
                <Link to={`/communications/${communication.id}`} className="strong">
                  {communication.templateName}
                </Link>
                {communication.batchRunId && (
                  <div className="comm-small">
                    <Link to={`/communications/runs/${communication.batchRunId}`} className="comm-quiet-link">
                      From a batch run
                    </Link>
                  </div>
                )}
              </td>
              <td>
                <Link to={`/customers/${communication.customerId}`}>{communication.customerName}</Link>
              </td>
              <td className="nowrap">
                {communication.channel ? (
                  channelLabels[communication.channel]
                ) : (
                  <span className="muted">Not routed yet</span>
                )}
              </td>
              <td className="comm-address-cell">{communication.address ?? <span className="muted">—</span>}</td>
              <td>
                <StatusBadge status={communication.status} />
                {(communication.statusReason || waitsForPrint(communication)) && (
                  <div className="muted comm-small comm-reason">
                    {communication.statusReason ?? 'Waits for the next print batch'}
                  </div>
                )}
              </td>
              <td className="nowrap">{formatDateTime(communication.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
