import { Navigate, Route, Routes } from 'react-router-dom';
import { RequireRole } from '../auth/access-guards.js';
import { NotFoundPage } from '../shell/not-found-page.js';
import { AreaTabs } from '../ui/area-tabs.js';
import { AuditPage } from './audit/audit-page.js';
import { JobDetailPage } from './jobs/job-detail-page.js';
import { JobsPage } from './jobs/jobs-page.js';
import { TeamsPage } from './teams/teams-page.js';
import { TokensPage } from './tokens/tokens-page.js';
import { UsersPage } from './users/users-page.js';
import './admin.css';

const sections = [
  { path: 'users', label: 'Users' },
  { path: 'teams', label: 'Teams' },
  { path: 'tokens', label: 'API tokens' },
  { path: 'jobs', label: 'Jobs' },
  { path: 'audit', label: 'Audit trail' },
];

/** Everything under /admin: only for admins, with its own section tabs. */
export function AdminArea() {
  return (
    <RequireRole role="admin">
      <AreaTabs label="Admin sections" base="/admin" sections={sections} />
      <Routes>
        <Route index element={<Navigate to="users" replace />} />
        <Route path="users" element={<UsersPage />} />
        <Route path="teams" element={<TeamsPage />} />
        <Route path="tokens" element={<TokensPage />} />
        <Route path="jobs" element={<JobsPage />} />
        <Route path="jobs/:id" element={<JobDetailPage />} />
        <Route path="audit" element={<AuditPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </RequireRole>
  );
}
