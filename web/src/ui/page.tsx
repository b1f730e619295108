import { useEffect, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import type { Permission } from '../../../src/auth/policy.js';
import { useSession } from '../auth/session.js';
import { may } from './permissions.js';

export function useDocumentTitle(title: string) {
  useEffect(() => {
    document.title = `${title} · Tidings`;
  }, [title]);
}

export function PageHeader({
  title,
  description,
  actions,
}: {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
}) {
  useDocumentTitle(title);
  return (
    <header className="page-header">
      <div>
        <h1>{title}</h1>
        {description && <p className="page-description">{description}</p>}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </header>
  );
}

/** What someone without the needed role sees instead of a page: what they lack, titled like any page. */
export function NoAccess({ title, children }: { title: string; children: ReactNode }) {
  useDocumentTitle(title);
  return (
    <section className="no-access" role="alert">
      <h1>{title}</h1>
      {children}
    </section>
  );
}

/**
 * A page's main action (a link, or a button with `onClick`), shown only to those the server's
 * policy lets take it.
 */
export function PrimaryAction({
  permission,
  to,
  onClick,
  disabled,
  label,
  children = label,
}: {
  permission?: Permission;
  to?: string;
  onClick?: () => void;
  disabled?: boolean;
  /** What it says, when that is plain words. */
  label?: string;
  children?: ReactNode;
}) {
  const { user } = useSession();
  if (permission && !(user && may(user, permission))) return null;
  return to ? (
    <Link to={to} className="button button-primary">
      {children}
    </Link>
  ) : (
    <button type="button" className="button button-primary" disabled={disabled} onClick={onClick}>
      {children}
    </button>
  );
}
