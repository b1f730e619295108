import { roleLabels, roles, type Role } from '../../auth/roles.js';
import { FieldGroup } from '../../ui/form.js';

export function RoleCheckboxes({
  value,
  onChange,
  error,
}: {
  value: Role[];
  onChange: (roles: Role[]) => void;
  error?: string;
}) {
  const toggle = (role: Role, checked: boolean) =>
    onChange(
      checked
        ? roles.filter((candidate) => candidate === role || value.includes(candidate))
        : value.filter((held) => held !== role),
    );
  return (
    <FieldGroup label="Roles" error={error}>
      <div className="checkbox-grid">
        {roles.map((role) => (
          <label key={role} className="checkbox">
            <input
              type="checkbox"
              checked={value.includes(role)}
              onChange={(event) => toggle(role, event.target.checked)}
            />
            {roleLabels[role]}
          </label>
        ))}
      </div>
    </FieldGroup>
  );
}
