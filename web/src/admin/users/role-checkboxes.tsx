import { roleLabels, roles, type Role } from '../../auth/roles.js';
import { Checkboxes } from '../../ui/choices.js';
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
  return (
    <FieldGroup label="Roles" error={error}>
      <Checkboxes values={roles} labels={roleLabels} checked={value} onChange={onChange} />
    </FieldGroup>
  );
}
