import { QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useParams } from 'react-router-dom';
import { Loading } from './ui/states.js';
import { queryClient } from './ui/use-api-data.js';

// Two realms, each loaded on its own: a customer in the portal never downloads the staff workspace
// (nor triggers its session check), and staff never download the portal.
const WorkspaceApp = lazy(() => import('./shell/workspace-app.js'));
const PortalApp = lazy(() => import('./portal/portal-app.js'));

/** A help-centre article at its public address (/help/articles/<slug>, what replies link to), in the portal. */
function HelpArticleRedirect() {
  const { '*': rest = '' } = useParams();
  return <Navigate to={`/portal/help/${rest}`} replace />;
}

/** The route table (inside the data cache): the customer portal under /portal, the staff workspace everywhere else. */
export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <Suspense
          fallback={
            <div className="boot">
              <Loading what="the page" />
            </div>
          }
        >
          <Routes>
            <Route path="/portal/*" element={<PortalApp />} />
            <Route path="/help/*" element={<HelpArticleRedirect />} />
            <Route path="*" element={<WorkspaceApp />} />
          </Routes>
        </Suspense>
      </BrowserRouter>
    </QueryClientProvider>
  );
}
