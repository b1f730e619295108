import {
  runStatusLabels,
  statusHints,
  statusLabels,
  type BatchRunStatus,
  type CommunicationStatus,
} from './communication-vocabulary.js';

/** A communication's status, coloured by how far it got; the hint says what the status means. */
export function StatusBadge({ status }: { status: CommunicationStatus }) {
  return (
    <span className={`badge comm-status comm-status-${status}`} title={statusHints[status]}>
      {statusLabels[status]}
    </span>
  );
}

export function RunStatusBadge({ status }: { status: BatchRunStatus }) {
  return <span className={`badge run-status run-status-${status}`}>{runStatusLabels[status]}</span>;
}
