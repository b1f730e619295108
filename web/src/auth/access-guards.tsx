import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { NoAccess } from '../ui/page.js';
import { hasRole, useSession } from './session.js';
import { roleLabels, type Role } from './roles.js';

/** Sends a visitor who is not signed in to the sign-in page, remembering where they were going. */
export function RequireSession({ children }: { children: ReactNode }) {
  const { user } = useSession();
  const location = useLocation();
  if (!user) return <Navigate to="/login" replace state={{ from: location }} />;
  return children;
}

/** Shows the page only to users with the role; everyone else learns which role they lack. */
export function RequireRole({ role, children }: { role: Role; children: ReactNode }) {
  const { user } = useSession();
  if (user && hasRole(user, role)) return children;
  return (
    <NoAccess title={`You need the ${roleLabels[role].toLowerCase()} role`}>
      <p>
        This page is for users with the {roleLabels[role].toLowerCase()} role. You are signed in as {user?.email} (
        {user?.roles.map((held) => roleLabels[held]).join(', ')}). Ask an administrator if you need access.
      </p>
    </NoAccess>
  );
}
