import { Link, NavLink, Outlet, useNavigate } from 'react-router-dom';
import { roleLabels } from '../auth/roles.js';
import { useSession, useSignedInUser } from '../auth/session.js';
import { NotificationBell } from '../notifications/notification-bell.js';
import { Brand } from './brand.js';
import { showsArea, workspaceAreas } from './workspace-areas.js';

function initialsOf(name: string) {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase())
    .join('');
}

function Navigation() {
  const user = useSignedInUser();
  const areas = workspaceAreas.filter((area) => showsArea(user, area));
  return (
    <nav className="nav" aria-label="Workspace">
      <ul>
        {areas.map((area) => (
          <li key={area.path}>
            <NavLink to={area.path} className="nav-item">
              {area.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function SignedInUser() {
  const user = useSignedInUser();
  const { signOut } = useSession();
  const navigate = useNavigate();
  const leave = async () => {
    await signOut();
    navigate('/login', { replace: true });
  };
  return (
    <div className="account">
      <div className="account-who">
        <span className="avatar" aria-hidden="true">
          {initialsOf(user.name)}
        </span>
        <div>
          <div className="account-name">{user.name}</div>
          <div className="account-roles">{user.roles.map((role) => roleLabels[role]).join(', ')}</div>
        </div>
      </div>
      <div className="account-actions">
        <NavLink to="/account/password" className="account-link">
          Change password
        </NavLink>
        <button type="button" className="account-link" onClick={leave}>
          Sign out
        </button>
      </div>
    </div>
  );
}

/** The frame of every signed-in page: navigation on the left, the page on the right. */
export function AppShell() {
  return (
    <div className="shell">
      <aside className="sidebar">
        <Link to="/" className="brand-link">
          <Brand />
          <span className="visually-hidden"> start page</span>
        </Link>
        <Navigation />
        <NotificationBell />
        <SignedInUser />
      </aside>
      <main className="content">
        <Outlet />
      </main>
    </div>
  );
}
