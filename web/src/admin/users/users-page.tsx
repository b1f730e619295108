import { useState } from 'react';
import type { StaffUser } from '../../auth/auth.api.js';
import { roleLabels } from '../../auth/roles.js';
import { useSession, useSignedInUser } from '../../auth/session.js';
import { ConfirmButton } from '../../ui/confirm-button.js';
import { PageHeader } from '../../ui/page.js';
import { orDash } from '../../ui/data-table.js';
import { PagedTable } from '../../ui/paged-list.js';
import { OnOff, Notice } from '../../ui/states.js';
import { useEveryPage } from '../../ui/use-api-data.js';
import { CreateUserDialog, EditUserDialog, ResetPasswordDialog } from './user-dialogs.js';
import { usersApi } from './users.api.js';

type OpenDialog =
  { kind: 'create' } | { kind: 'edit'; user: StaffUser } | { kind: 'reset-password'; user: StaffUser } | null;

export function UsersPage() {
  const me = useSignedInUser();
  const { refresh: refreshSession } = useSession();
  const users = useEveryPage<'users', StaffUser>(usersApi.listPath, 'users');
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const close = () => setDialog(null);
  const saved = (message: (user: StaffUser) => string) => (user: StaffUser) => {
    setDialog(null);
    setNotice(message(user));
    users.reload();
    if (user.id === me.id) void refreshSession();
  };
  const setActive = async (user: StaffUser, active: boolean) => {
    await usersApi.update(user.id, { active });
    setNotice(active ? `${user.name} can sign in again.` : `${user.name} is deactivated and has been signed out.`);
    users.reload();
  };

  return (
    <>
      <PageHeader
        title="Users"
        description="Staff who sign in to Tidings, what they may do, and the teams they belong to."
        actions={
          <button type="button" className="button button-primary" onClick={() => setDialog({ kind: 'create' })}>
            New user
          </button>
        }
      />
      {notice && <Notice tone="success">{notice}</Notice>}
      <PagedTable
        list={users}
        what="users"
        empty={{ title: 'No users yet' }}
        rowKey={(user) => user.id}
        rowClassName={(user) => (user.active ? undefined : 'row-inactive')}
        columns={(column) => [
          {
            header: 'Name',
            className: 'strong nowrap',
            cell: (user) => (
              <>
                {user.name}
                {user.id === me.id && <span className="tag">you</span>}
              </>
            ),
          },
          { header: 'Email', className: 'nowrap', cell: (user) => user.email },
          {
            header: 'Roles',
            cell: (user) => (
              <span className="badges">
                {user.roles.map((role) => (
                  <span key={role} className={`badge badge-role-${role}`}>
                    {roleLabels[role]}
                  </span>
                ))}
              </span>
            ),
          },
          { header: 'Teams', cell: (user) => orDash(user.teams.map((team) => team.name).join(', ')) },
          { header: 'Status', cell: (user) => <OnOff on={user.active} labels={['Active', 'Deactivated']} /> },
          column.actions((user) => (
            <>
              <button type="button" className="button button-small" onClick={() => setDialog({ kind: 'edit', user })}>
                Edit
              </button>
              <button
                type="button"
                className="button button-small"
                disabled={user.id === me.id}
                title={user.id === me.id ? 'Change your own password from the link under your name' : undefined}
                onClick={() => setDialog({ kind: 'reset-password', user })}
              >
                Reset password
              </button>
              {user.active ? (
                <ConfirmButton
                  label="Deactivate"
                  question={`Deactivate ${user.name}?`}
                  consequence="They are signed out at once and cannot sign in until reactivated. Their API tokens stop working."
                  danger
                  disabledReason={user.id === me.id ? 'You cannot deactivate yourself' : undefined}
                  onConfirm={() => setActive(user, false)}
                />
              ) : (
                <ConfirmButton
                  label="Reactivate"
                  question={`Reactivate ${user.name}?`}
                  consequence="They can sign in again with their current password."
                  onConfirm={() => setActive(user, true)}
                />
              )}
            </>
          )),
        ]}
      />
      {dialog?.kind === 'create' && (
        <CreateUserDialog onClose={close} onSaved={saved((user) => `Created ${user.name} (${user.email}).`)} />
      )}
      {dialog?.kind === 'edit' && (
        <EditUserDialog
          user={dialog.user}
          onClose={close}
          onSaved={saved((user) => `Saved changes to ${user.name}.`)}
        />
      )}
      {dialog?.kind === 'reset-password' && (
        <ResetPasswordDialog
          user={dialog.user}
          onClose={close}
          onSaved={saved((user) => `New password set for ${user.name}; they have been signed out everywhere.`)}
        />
      )}
    </>
  );
}
