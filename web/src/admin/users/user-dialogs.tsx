import type { StaffUser } from '../../auth/auth.api.js';
import type { Role } from '../../auth/roles.js';
import { DialogForm } from '../../ui/dialog-form.js';
import { Field, TextField, useForm } from '../../ui/form.js';
import { RoleCheckboxes } from './role-checkboxes.js';
import { usersApi } from './users.api.js';

type DialogProps = { onClose: () => void; onSaved: (user: StaffUser) => void };

export function CreateUserDialog({ onClose, onSaved }: DialogProps) {
  const form = useForm({ email: '', name: '', password: '', roles: ['viewer'] as Role[] }, async (input) =>
    onSaved(await usersApi.create(input)),
  );
  return (
    <DialogForm title="New user" onClose={onClose} form={form} submitLabel="Create user">
      <TextField form={form} name="email" label="Email" type="email" required autoComplete="off" />
      <TextField form={form} name="name" label="Name" required />
      <TextField
        form={form}
        name="password"
        label="Password"
        hint="At least 10 characters. Share it with the user; they can change it after signing in."
        type="password"
        required
        autoComplete="new-password"
      />
      <RoleCheckboxes form={form} />
    </DialogForm>
  );
}

export function EditUserDialog({ user, onClose, onSaved }: DialogProps & { user: StaffUser }) {
  const form = useForm({ name: user.name, roles: user.roles }, async (change) =>
    onSaved(await usersApi.update(user.id, change)),
  );
  return (
    <DialogForm title={`Edit ${user.name}`} onClose={onClose} form={form} submitLabel="Save changes">
      <Field label="Email" htmlFor="edit-user-email" hint="The sign-in email cannot be changed.">
        <input id="edit-user-email" value={user.email} readOnly disabled />
      </Field>
      <TextField form={form} name="name" label="Name" required />
      <RoleCheckboxes form={form} />
    </DialogForm>
  );
}

export function ResetPasswordDialog({ user, onClose, onSaved }: DialogProps & { user: StaffUser }) {
  const form = useForm({ password: '' }, async (change) => onSaved(await usersApi.update(user.id, change)));
  return (
    <DialogForm
      title={`Reset password for ${user.name}`}
      onClose={onClose}
      form={form}
      submitLabel="Reset password"
      intro={<p className="muted">The new password takes effect at once and signs {user.name} out everywhere.</p>}
    >
      <TextField
        form={form}
        name="password"
        label="New password"
        hint="At least 10 characters."
        type="password"
        required
        autoComplete="new-password"
      />
    </DialogForm>
  );
}
