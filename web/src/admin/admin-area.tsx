import { Navigate } from 'react-router-dom';
import { RequireRole } from '../auth/access-guards.js';
import { Area, type AreaPage } from '../ui/area-tabs.js';
import { AuditPage } from './audit/audit-page.js';
import { JobDetailPage } from './jobs/job-detail-page.js';
import { JobsPage } from './jobs/jobs-page.js';
import { TeamsPage } from './teams/teams-page.js';
import { TokensPage } from './tokens/tokens-page.js';
import { UsersPage } from './users/users-page.js';
import './admin.css';

const pages: AreaPage[] = [
  { page: <Navigate to="users" replace /> },
  { path: 'users', tab: 'Users', page: <UsersPage /> },
  { path: 'teams', tab: 'Teams', page: <TeamsPage /> },
  { path: 'tokens', tab: 'API tokens', page: <TokensPage /> },
  { path: 'jobs', tab: 'Jobs', page: <JobsPage /> },
  { path: 'jobs/:id', page: <JobDetailPage /> },
  { path: 'audit', tab: 'Audit trail', page: <AuditPage /> },
];

/** Everything under /admin: only for admins, with its own section tabs. */
export function AdminArea() {
  return (
    <RequireRole role="admin">
      <Area label="Admin sections" base="/admin" pages={pages} />
    </RequireRole>
  );
}
