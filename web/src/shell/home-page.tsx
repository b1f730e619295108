import { Link } from 'react-router-dom';
import { hasRole, useSignedInUser } from '../auth/session.js';
import { PageHeader } from '../ui/page.js';
import { workspaceAreas } from './workspace-areas.js';

export function HomePage() {
  const user = useSignedInUser();
  const open = workspaceAreas.filter(
    (area) => !area.planned && (!area.requiredRole || hasRole(user, area.requiredRole)),
  );
  return (
    <>
      <PageHeader
        title={`Welcome, ${user.name.split(' ')[0]}`}
        description="Tidings grows one module at a time; the navigation shows what is coming."
      />
      <section className="card">
        <h2>Open to you now</h2>
        <ul className="link-list">
          {open.map((area) => (
            <li key={area.path}>
              <Link to={area.path}>{area.label}</Link>
            </li>
          ))}
          <li>
            <Link to="/account/password">Change your password</Link>
          </li>
        </ul>
      </section>
    </>
  );
}
