import './portal.css';
import { Link, Outlet, Route, Routes } from 'react-router-dom';
import { HelpArticlePage, HelpPage } from './help-pages.js';
import { InboxPage } from './inbox-page.js';
import { ItemPage } from './item-page.js';
import { NewRequestPage } from './new-request-page.js';
import { PortalHeader, PortalLayout } from './portal-layout.js';
import { PortalSessionProvider, RequirePortalSession } from './portal-session.js';
import { RequestPage } from './request-page.js';
import { RequestsPage } from './requests-page.js';
import { SettingsPage } from './settings-page.js';
import { SignInPage } from './sign-in-page.js';
import { UnsubscribePage } from './unsubscribe-page.js';

function PortalNotFound() {
  return (
    <>
      <PortalHeader title="Page not found" />
      <p>
        There is nothing at this address. <Link to="/portal">Go to your inbox</Link> or{' '}
        <Link to="/portal/help">the help centre</Link>.
      </p>
    </>
  );
}

/**
 * The customer portal under /portal: a realm apart from the staff workspace, with its own session,
 * layout and pages; loaded on its own, so customers never download the workspace.
 */
export default function PortalApp() {
  return (
    <PortalSessionProvider>
      <Routes>
        <Route element={<PortalLayout />}>
          <Route path="sign-in" element={<SignInPage />} />
          <Route path="unsubscribe" element={<UnsubscribePage />} />
          <Route path="help" element={<HelpPage />} />
          <Route path="help/articles/:slug" element={<HelpArticlePage />} />
          <Route
            element={
              <RequirePortalSession>
                <Outlet />
              </RequirePortalSession>
            }
          >
            <Route index element={<InboxPage />} />
            <Route path="inbox/:id" element={<ItemPage />} />
            <Route path="requests" element={<RequestsPage />} />
            <Route path="requests/new" element={<NewRequestPage />} />
            <Route path="requests/:id" element={<RequestPage />} />
            <Route path="settings" element={<SettingsPage />} />
          </Route>
          <Route path="*" element={<PortalNotFound />} />
        </Route>
      </Routes>
    </PortalSessionProvider>
  );
}
