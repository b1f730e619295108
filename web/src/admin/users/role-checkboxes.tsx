import { roleLabels, roles, type Role } from '../../auth/roles.js';
import { Checkboxes } from '../../ui/choices.js';
import { FieldGroup, type FormState } from '../../ui/form.js';

/** The roles of a user form, one checkbox each, with the server's word on them. */
export function RoleCheckboxes<V extends { roles: Role[] }>({ form }: { form: FormState<V> }) {
  return (
    <FieldGroup label="Roles" error={form.errors.fields.roles}>
      <Checkboxes
        values={roles}
        labels={roleLabels}
        checked={form.values.roles}
        onChange={(checked) => form.set('roles', checked as V['roles'])}
      />
    </FieldGroup>
  );
}
