import { Notice } from '../ui/states.js';
import { useState, type FormEvent } from 'react';
import { FormActions, FormError, TextField, useForm } from '../ui/form.js';
import { PageHeader } from '../ui/page.js';
import { authApi } from './auth.api.js';
import { useSignedInUser } from './session.js';

export function ChangePasswordPage() {
  const user = useSignedInUser();
  const [changed, setChanged] = useState(false);
  const form = useForm(
    { currentPassword: '', newPassword: '', repeated: '' },
    async ({ currentPassword, newPassword }, { reset }) => {
      await authApi.changePassword({ currentPassword, newPassword });
      reset();
      setChanged(true);
    },
  );
  const { repeated, newPassword } = form.values;
  const mismatch = repeated !== '' && repeated !== newPassword;

  const submit = (event: FormEvent) => {
    setChanged(false);
    if (mismatch) event.preventDefault();
    else form.submit(event);
  };

  return (
    <>
      <PageHeader
        title="Change password"
        description={`For ${user.email}. Changing it signs you out on every other device.`}
      />
      <form className="card form narrow" onSubmit={submit}>
        {changed && <Notice tone="success">Password changed. Your other sessions have been signed out.</Notice>}
        <FormError message={form.errors.general} />
        <TextField
          form={form}
          name="currentPassword"
          label="Current password"
          type="password"
          autoComplete="current-password"
          required
        />
        <TextField
          form={form}
          name="newPassword"
          label="New password"
          hint="At least 10 characters."
          type="password"
          autoComplete="new-password"
          required
          minLength={10}
        />
        <TextField
          form={form}
          name="repeated"
          label="Repeat new password"
          error={mismatch ? 'does not match the new password' : undefined}
          type="password"
          autoComplete="new-password"
          required
        />
        <FormActions label="Change password" busyLabel="Changing…" saving={form.saving} disabled={mismatch} />
      </form>
    </>
  );
}
