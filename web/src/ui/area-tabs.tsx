import type { ReactNode } from 'react';
import { NavLink, Route, Routes, useLocation } from 'react-router-dom';
import { NotFoundPage } from '../shell/not-found-page.js';

/**
 * The section tabs of a workspace area. The first tab (`home`, the area's own list) stays active
 * on every page that belongs to no other section, such as one record opened from the list.
 */
export function AreaTabs({
  label,
  base,
  home,
  sections,
}: {
  label: string;
  /** The area's path, such as `/communications`. */
  base: string;
  home?: string;
  sections: readonly { path: string; label: string }[];
}) {
  const { pathname } = useLocation();
  const section = pathname.slice(base.length + 1).split('/')[0] ?? '';
  const atHome = !sections.some((candidate) => candidate.path === section);
  return (
    <nav className="tabs" aria-label={label}>
      {home && (
        <NavLink to={base} end className={atHome ? 'tab active' : 'tab'} aria-current={atHome ? 'page' : undefined}>
          {home}
        </NavLink>
      )}
      {sections.map((candidate) => (
        <NavLink key={candidate.path} to={`${base}/${candidate.path}`} className="tab">
          {candidate.label}
        </NavLink>
      ))}
    </nav>
  );
}

/** One page of an area: its path below the area (none for the area's own list), and its tab if it has one. */
export type AreaPage = { path?: string; tab?: string | false; page: ReactNode };

/**
 * A workspace area: its section tabs (the pages that have one, in the order given) above the page
 * its address names, or "Page not found" for an address it does not know.
 */
export function Area({
  label,
  base,
  home,
  pages,
}: {
  label?: string;
  base: string;
  home?: string;
  pages: readonly AreaPage[];
}) {
  const sections = pages.flatMap(({ path, tab }) => (tab && path ? [{ path, label: tab }] : []));
  return (
    <>
      {label && <AreaTabs label={label} base={base} home={home} sections={sections} />}
      <Routes>
        {pages.map(({ path, page }) =>
          path === undefined ? <Route key="" index element={page} /> : <Route key={path} path={path} element={page} />,
        )}
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </>
  );
}
