import type { Permission } from '../../../src/auth/policy.js';
import type { StaffUser } from '../auth/auth.api.js';
import type { Role } from '../auth/roles.js';
import { hasRole } from '../auth/session.js';
import { may } from '../ui/permissions.js';

/** The workspace's top-level areas, one per domain, in navigation order. */
export type WorkspaceArea = {
  label: string;
  path: string;
  /** Only users with this role see the area in the navigation. */
  requiredRole?: Role;
  /** Only users the server's policy grants this see the area in the navigation. */
  requiredPermission?: Permission;
};

export const workspaceAreas: WorkspaceArea[] = [
  { label: 'Customers', path: '/customers' },
  { label: 'Communications', path: '/communications' },
  { label: 'Templates', path: '/templates' },
  { label: 'Documents', path: '/documents' },
  { label: 'Service desk', path: '/tickets' },
  { label: 'Scanned mail', path: '/scans', requiredPermission: 'scans.read' },
  { label: 'Knowledge base', path: '/knowledge' },
  { label: 'Records', path: '/records', requiredPermission: 'records.read' },
  { label: 'Insights', path: '/insights', requiredPermission: 'insights.read' },
  { label: 'Announcements', path: '/announcements', requiredPermission: 'announcements.read' },
  { label: 'Suggestions', path: '/suggestions', requiredPermission: 'suggestions.read' },
  { label: 'Admin', path: '/admin', requiredRole: 'admin' },
];

/** Whether the navigation shows this area to this user. */
export const showsArea = (user: StaffUser, area: WorkspaceArea) =>
  (!area.requiredRole || hasRole(user, area.requiredRole)) &&
  (!area.requiredPermission || may(user, area.requiredPermission));
