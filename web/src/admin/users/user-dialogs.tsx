import { useState, type FormEvent } from 'react';
import type { StaffUser } from '../../auth/auth.api.js';
import type { Role } from '../../auth/roles.js';
import { Dialog } from '../../ui/dialog.js';
import { Field, FormError, formErrors, useSubmission } from '../../ui/form.js';
import { RoleCheckboxes } from './role-checkboxes.js';
import { usersApi } from './users.api.js';

type DialogProps = { onClose: () => void; onSaved: (user: StaffUser) => void };

function DialogActions({ saving, label, onCancel }: { saving: boolean; label: string; onCancel: () => void }) {
  return (
    <div className="form-actions">
      <button type="button" className="button" onClick={onCancel}>
        Cancel
      </button>
      <button type="submit" className="button button-primary" disabled={saving}>
        {saving ? 'Saving…' : label}
      </button>
    </div>
  );
}

export function CreateUserDialog({ onClose, onSaved }: DialogProps) {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [roles, setRoles] = useState<Role[]>(['viewer']);
  const submission = useSubmission(async () => {
    onSaved(await usersApi.create({ email, name, password, roles }));
  });
  const errors = formErrors(submission.error, ['email', 'name', 'password', 'roles']);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void submission.run();
  };

  return (
    <Dialog title="New user" onClose={onClose}>
      <form className="form" onSubmit={submit}>
        <FormError message={errors.general} />
        <Field label="Email" htmlFor="new-user-email" error={errors.fields.email}>
          <input
            id="new-user-email"
            type="email"
            required
            autoComplete="off"
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        </Field>
        <Field label="Name" htmlFor="new-user-name" error={errors.fields.name}>
          <input id="new-user-name" required value={name} onChange={(event) => setName(event.target.value)} />
        </Field>
        <Field
          label="Password"
          htmlFor="new-user-password"
          error={errors.fields.password}
          hint="At least 10 characters. Share it with the user; they can change it after signing in."
        >
          <input
            id="new-user-password"
            type="password"
            required
            autoComplete="new-password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </Field>
        <RoleCheckboxes value={roles} onChange={setRoles} error={errors.fields.roles} />
        <DialogActions saving={submission.saving} label="Create user" onCancel={onClose} />
      </form>
    </Dialog>
  );
}

export function EditUserDialog({ user, onClose, onSaved }: DialogProps & { user: StaffUser }) {
  const [name, setName] = useState(user.name);
  const [roles, setRoles] = useState<Role[]>(user.roles);
  const submission = useSubmission(async () => {
    onSaved(await usersApi.update(user.id, { name, roles }));
  });
  const errors = formErrors(submission.error, ['name', 'roles']);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void submission.run();
  };

  return (
    <Dialog title={`Edit ${user.name}`} onClose={onClose}>
      <form className="form" onSubmit={submit}>
        <FormError message={errors.general} />
        <Field label="Email" htmlFor="edit-user-email" hint="The sign-in email cannot be changed.">
          <input id="edit-user-email" value={user.email} readOnly disabled />
        </Field>
        <Field label="Name" htmlFor="edit-user-name" error={errors.fields.name}>
          <input id="edit-user-name" required value={name} onChange={(event) => setName(event.target.value)} />
        </Field>
        <RoleCheckboxes value={roles} onChange={setRoles} error={errors.fields.roles} />
        <DialogActions saving={submission.saving} label="Save changes" onCancel={onClose} />
      </form>
    </Dialog>
  );
}

export function ResetPasswordDialog({ user, onClose, onSaved }: DialogProps & { user: StaffUser }) {
  const [password, setPassword] = useState('');
  const submission = useSubmission(async () => {
    onSaved(await usersApi.update(user.id, { password }));
  });
  const errors = formErrors(submission.error, ['password']);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void submission.run();
  };

  return (
    <Dialog title={`Reset password for ${user.name}`} onClose={onClose}>
      <form className="form" onSubmit={submit}>
        <p className="muted">The new password takes effect at once and signs {user.name} out everywhere.</p>
        <FormError message={errors.general} />
        <Field
          label="New password"
          htmlFor="reset-password"
          error={errors.fields.password}
          hint="At least 10 characters."
        >
          <input
            id="reset-password"
            type="password"
            required
            autoComplete="new-password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </Field>
        <DialogActions saving={submission.saving} label="Reset password" onCancel={onClose} />
      </form>
    </Dialog>
  );
}
