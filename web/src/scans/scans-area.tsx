import { Area } from '../ui/area-tabs.js';
import { ScanPage } from './scan-page.js';
import { ScansPage } from './scans-page.js';
import './scans.css';

/** Everything under /scans: the intake of scanned paper, and one scan's page. */
export function ScansArea() {
  return (
    <Area
      label="Scanned mail sections"
      base="/scans"
      home="Scanned mail"
      pages={[{ page: <ScansPage /> }, { path: ':id', page: <ScanPage /> }]}
    />
  );
}
