import { useEffect, type CSSProperties, type ReactNode } from 'react';
import { NavLink, Outlet, useNavigate } from 'react-router-dom';
import { useApiData } from '../ui/use-api-data.js';
import { readableOnWhite, shadeOf, tintOf } from './portal-colors.js';
import { usePortalSession } from './portal-session.js';
import { portalApi, type PortalBrand } from './portal.api.js';

// Tidings' own colours until the brand kit has answered.
const FALLBACK = { primary: '#2458c6', accent: '#0f766e' };

/** The brand kit, asked once per visit (it changes rarely); public, so the sign-in page has it too. */
export function usePortalBrand(): PortalBrand | undefined {
  return useApiData<PortalBrand>(portalApi.brandPath).data;
}

/** The page's title in the browser tab: "Inbox · Acme Energy". */
export function usePortalTitle(title: string) {
  const company = usePortalBrand()?.companyName;
  useEffect(() => {
    document.title = company ? `${title} · ${company}` : title;
  }, [title, company]);
}

/** A portal page's heading and what it is for; sets the tab's title. */
export function PortalHeader({ title, children }: { title: string; children?: ReactNode }) {
  usePortalTitle(title);
  return (
    <header className="portal-page-header">
      <h1>{title}</h1>
      {children && <div className="portal-page-intro">{children}</div>}
    </header>
  );
}

/** The brand's colours as the variables the shared controls use, each in a shade that reads. */
function brandStyle(brand: PortalBrand | undefined): CSSProperties {
  const primary = readableOnWhite(brand?.primaryColor ?? FALLBACK.primary, FALLBACK.primary);
  const accent = readableOnWhite(brand?.accentColor ?? FALLBACK.accent, FALLBACK.accent);
  return {
    '--primary': primary,
    '--primary-hover': shadeOf(primary),
    '--primary-soft': tintOf(primary),
    '--focus': `0 0 0 3px ${tintOf(primary, 0.45)}`,
    '--portal-accent': accent,
  } as CSSProperties;
}

function BrandMark({ brand }: { brand: PortalBrand | undefined }) {
  const name = brand?.companyName ?? 'Customer portal';
  return (
    <NavLink to="/portal" className="portal-brand" end>
      {brand?.logoUrl ? <img src={brand.logoUrl} alt={name} className="portal-logo" /> : <span>{name}</span>}
    </NavLink>
  );
}

const sections = [
  { to: '/portal', label: 'Inbox', end: true, full: true },
  { to: '/portal/requests', label: 'Requests', end: false, full: false },
  { to: '/portal/settings', label: 'Settings', end: false, full: true },
  { to: '/portal/help', label: 'Help', end: false, full: false },
];

/** Who is signed in, and the way out; or the way in. */
function Account() {
  const { me, signOut } = usePortalSession();
  const navigate = useNavigate();
  if (!me)
    return (
      <NavLink to="/portal/sign-in" className="button button-small">
        Sign in
      </NavLink>
    );
  return (
    <div className="portal-account">
      <span className="portal-account-name">{me.contact?.name ?? me.customer.name}</span>
      <button
        type="button"
        className="button button-small"
        onClick={() => void signOut().then(() => navigate('/portal/sign-in', { state: { signedOut: true } }))}
      >
        Sign out
      </button>
    </div>
  );
}

/** The portal's frame, phone first: the brand bar, the sections, and the page. */
export function PortalLayout() {
  const brand = usePortalBrand();
  const { me } = usePortalSession();
  const shown = sections.filter((section) => (me ? !section.full || me.access === 'full' : section.label === 'Help'));
  return (
    <div className="portal" style={brandStyle(brand)}>
      <a className="portal-skip" href="#portal-main">
        Skip to content
      </a>
      <header className="portal-bar">
        <BrandMark brand={brand} />
        <Account />
      </header>
      {shown.length > 1 && (
        <nav className="portal-nav" aria-label="Portal">
          {shown.map((section) => (
            <NavLink key={section.to} to={section.to} end={section.end} className="portal-nav-link">
              {section.label}
            </NavLink>
          ))}
        </nav>
      )}
      <main id="portal-main" className="portal-main" tabIndex={-1}>
        <Outlet />
      </main>
      <footer className="portal-footer muted small">{brand?.companyName}</footer>
    </div>
  );
}
