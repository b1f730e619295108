import { Route, Routes } from 'react-router-dom';
import { AdminArea } from '../admin/admin-area.js';
import { AnnouncementsArea } from '../announcements/announcements-area.js';
import { CommunicationsArea } from '../communications/communications-area.js';
import { CustomersArea } from '../customers/customers-area.js';
import { DocumentsArea } from '../documents/documents-area.js';
import { RequireSession } from '../auth/access-guards.js';
import { ChangePasswordPage } from '../auth/change-password-page.js';
import { LoginPage } from '../auth/login-page.js';
import { KnowledgeArea } from '../knowledge/knowledge-area.js';
import { InsightsArea } from '../insights/insights-area.js';
import { RecordsArea } from '../records/records-area.js';
import { ScansArea } from '../scans/scans-area.js';
import { SuggestionsArea } from '../suggestions/suggestions-area.js';
import { NotificationsPage } from '../notifications/notifications-page.js';
import { SessionProvider } from '../auth/session.js';
import { AppShell } from './app-shell.js';
import { HomePage } from './home-page.js';
import { NotFoundPage } from './not-found-page.js';
import { TemplatesArea } from '../templates/templates-area.js';
import { TicketsArea } from '../tickets/tickets-area.js';

/**
 * The staff workspace: its session, and each built area of workspace-areas.ts mounting its own
 * routes under its path. Loaded on its own, so a customer in the portal never downloads it.
 */
export default function WorkspaceApp() {
  return (
    <SessionProvider>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route
          element={
            <RequireSession>
              <AppShell />
            </RequireSession>
          }
        >
          <Route index element={<HomePage />} />
          <Route path="account/password" element={<ChangePasswordPage />} />
          <Route path="customers/*" element={<CustomersArea />} />
          <Route path="communications/*" element={<CommunicationsArea />} />
          <Route path="templates/*" element={<TemplatesArea />} />
          <Route path="documents/*" element={<DocumentsArea />} />
          <Route path="tickets/*" element={<TicketsArea />} />
          <Route path="knowledge/*" element={<KnowledgeArea />} />
          <Route path="insights/*" element={<InsightsArea />} />
          <Route path="announcements/*" element={<AnnouncementsArea />} />
          <Route path="records/*" element={<RecordsArea />} />
          <Route path="scans/*" element={<ScansArea />} />
          <Route path="suggestions/*" element={<SuggestionsArea />} />
          <Route path="notifications" element={<NotificationsPage />} />
          <Route path="admin/*" element={<AdminArea />} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </SessionProvider>
  );
}
