import { useState } from 'react';
import type { StaffUser } from '../../auth/auth.api.js';
import { FieldGroup } from '../../ui/form.js';

/** Chooses a team's members from the staff list; deactivated users stay listed only if already members. */
export function MemberPicker({
  users,
  value,
  onChange,
  error,
}: {
  users: StaffUser[];
  value: string[];
  onChange: (ids: string[]) => void;
  error?: string;
}) {
  const [search, setSearch] = useState('');
  const needle = search.trim().toLowerCase();
  const candidates = users.filter(
    (user) =>
      (user.active || value.includes(user.id)) &&
      (!needle || `${user.name} ${user.email}`.toLowerCase().includes(needle)),
  );
  const toggle = (id: string, checked: boolean) =>
    onChange(checked ? [...value, id] : value.filter((member) => member !== id));

  return (
    <FieldGroup label={`Members (${value.length} chosen)`} error={error}>
      <input
        type="search"
        className="picker-search"
        placeholder="Find by name or email"
        aria-label="Find users"
        value={search}
        onChange={(event) => setSearch(event.target.value)}
      />
      <ul className="picker">
        {candidates.map((user) => (
          <li key={user.id}>
            <label className="checkbox">
              <input
                type="checkbox"
                checked={value.includes(user.id)}
                onChange={(event) => toggle(user.id, event.target.checked)}
              />
              <span>
                {user.name} <span className="muted">{user.email}</span>
              </span>
            </label>
          </li>
        ))}
        {candidates.length === 0 && <li className="muted picker-empty">No user matches “{search}”.</li>}
      </ul>
    </FieldGroup>
  );
}
