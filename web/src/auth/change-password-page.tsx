import { useState, type FormEvent } from 'react';
import { Field, FormError, formErrors, useSubmission } from '../ui/form.js';
import { PageHeader } from '../ui/page.js';
import { authApi } from './auth.api.js';
import { useSignedInUser } from './session.js';

export function ChangePasswordPage() {
  const user = useSignedInUser();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [repeated, setRepeated] = useState('');
  const [changed, setChanged] = useState(false);
  const submission = useSubmission(async () => {
    await authApi.changePassword({ currentPassword, newPassword });
    setCurrentPassword('');
    setNewPassword('');
    setRepeated('');
    setChanged(true);
  });
  const errors = formErrors(submission.error, ['currentPassword', 'newPassword']);
  const mismatch = repeated !== '' && repeated !== newPassword;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChanged(false);
    if (!mismatch) void submission.run();
  };

  return (
    <>
      <PageHeader
        title="Change password"
        description={`For ${user.email}. Changing it signs you out on every other device.`}
      />
      <form className="card form narrow" onSubmit={submit}>
        {changed && (
          <div className="notice notice-success" role="status">
            Password changed. Your other sessions have been signed out.
          </div>
        )}
        <FormError message={errors.general} />
        <Field label="Current password" htmlFor="current-password" error={errors.fields.currentPassword}>
          <input
            id="current-password"
            type="password"
            autoComplete="current-password"
            required
            value={currentPassword}
            onChange={(event) => setCurrentPassword(event.target.value)}
          />
        </Field>
        <Field
          label="New password"
          htmlFor="new-password"
          error={errors.fields.newPassword}
          hint="At least 10 characters."
        >
          <input
            id="new-password"
            type="password"
            autoComplete="new-password"
            required
            minLength={10}
            value={newPassword}
            onChange={(event) => setNewPassword(event.target.value)}
          />
        </Field>
        <Field
          label="Repeat new password"
          htmlFor="repeat-password"
          error={mismatch ? 'does not match the new password' : undefined}
        >
          <input
            id="repeat-password"
            type="password"
            autoComplete="new-password"
            required
            value={repeated}
            onChange={(event) => setRepeated(event.target.value)}
          />
        </Field>
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={submission.saving || mismatch}>
            {submission.saving ? 'Changing…' : 'Change password'}
          </button>
        </div>
      </form>
    </>
  );
}
