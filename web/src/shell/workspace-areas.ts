import type { Role } from '../auth/roles.js';

/**
 * The workspace's top-level areas, one per domain, in navigation order. An area with
 * `arrivesWith` is not built yet: it shows, disabled, so people see where the product is going.
 */
export type WorkspaceArea = {
  label: string;
  path: string;
  /** Only users with this role see the area in the navigation. */
  requiredRole?: Role;
  arrivesWith?: string;
};

export const workspaceAreas: WorkspaceArea[] = [
  { label: 'Customers', path: '/customers' },
  { label: 'Communications', path: '/communications' },
  { label: 'Templates', path: '/templates' },
  { label: 'Documents', path: '/documents', arrivesWith: 'documents' },
  { label: 'Service desk', path: '/service-desk', arrivesWith: 'service desk' },
  { label: 'Insights', path: '/insights', arrivesWith: 'insights' },
  { label: 'Admin', path: '/admin', requiredRole: 'admin' },
];
