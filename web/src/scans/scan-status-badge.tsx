import { scanStatusLabels, type ScanStatus } from './scans.api.js';

export function ScanStatusBadge({ status }: { status: ScanStatus }) {
  return <span className={`scan-status scan-status-${status}`}>{scanStatusLabels[status]}</span>;
}
