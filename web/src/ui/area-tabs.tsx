import { NavLink, useLocation } from 'react-router-dom';

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
