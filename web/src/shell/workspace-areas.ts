import type { Role } from '../auth/roles.js';

/** An area not built yet: its page says what it will hold, so people see where the product is going. */
export type PlannedArea = { module: string; coming: string[] };

/** The workspace's top-level areas, one per domain, in navigation order. */
export type WorkspaceArea = {
  label: string;
  path: string;
  /** Only users with this role see the area in the navigation. */
  requiredRole?: Role;
  planned?: PlannedArea;
};

export const workspaceAreas: WorkspaceArea[] = [
  { label: 'Customers', path: '/customers' },
  { label: 'Communications', path: '/communications' },
  { label: 'Templates', path: '/templates' },
  { label: 'Documents', path: '/documents' },
  { label: 'Service desk', path: '/tickets' },
  { label: 'Knowledge base', path: '/knowledge' },
  {
    label: 'Insights',
    path: '/insights',
    planned: {
      module: 'insights',
      coming: [
        'Goals with targets on KPIs computed from live data, visible to every employee.',
        'Complaint rate per template version, delivery rate and cost per channel, SLA attainment.',
        'Return on investment per activity, and what moving customers from fax and letter to email would save.',
      ],
    },
  },
  { label: 'Admin', path: '/admin', requiredRole: 'admin' },
];
