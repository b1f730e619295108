import { useState } from 'react';
import type { StaffUser } from '../../auth/auth.api.js';
import { ConfirmButton } from '../../ui/confirm-button.js';
import { PageHeader } from '../../ui/page.js';
import { PagedList } from '../../ui/paged-list.js';
import { ErrorNotice } from '../../ui/states.js';
import { useApiList, useEveryPage } from '../../ui/use-api-data.js';
import { usersApi } from '../users/users.api.js';
import { TeamDialog } from './team-dialog.js';
import { teamsApi, type Team } from './teams.api.js';

type OpenDialog = { team?: Team } | null;

export function TeamsPage() {
  const teams = useApiList<'teams', Team>(teamsApi.listPath, 'teams');
  const users = useEveryPage<'users', StaffUser>(usersApi.listPath, 'users');
  const [dialog, setDialog] = useState<OpenDialog>(null);

  const saved = () => {
    setDialog(null);
    teams.reload();
  };
  const remove = async (team: Team) => {
    await teamsApi.remove(team.id);
    teams.reload();
  };

  return (
    <>
      <PageHeader
        title="Teams"
        description="Groups of staff: service desk queues, reviews and announcements are addressed to teams."
        actions={
          <button type="button" className="button button-primary" disabled={!users.data} onClick={() => setDialog({})}>
            New team
          </button>
        }
      />
      {users.error !== undefined && <ErrorNotice error={users.error} onRetry={users.reload} />}
      <PagedList
        list={teams}
        what="teams"
        empty={{ title: 'No teams yet', hint: 'Create a team to group staff who work together.' }}
      >
        {(list) => (
          <div className="card-list">
            {list.map((team) => (
              <article key={team.id} className="card team" aria-label={team.name}>
                <header className="team-header">
                  <div>
                    <h2>{team.name}</h2>
                    {team.description && <p className="muted">{team.description}</p>}
                  </div>
                  <div className="row-actions">
                    <button
                      type="button"
                      className="button button-small"
                      disabled={!users.data}
                      onClick={() => setDialog({ team })}
                    >
                      Edit
                    </button>
                    <ConfirmButton
                      label="Delete"
                      question={`Delete ${team.name}?`}
                      consequence="The team goes away; its members keep their accounts and roles."
                      danger
                      onConfirm={() => remove(team)}
                    />
                  </div>
                </header>
                {team.members.length === 0 ? (
                  <p className="muted">No members yet.</p>
                ) : (
                  <ul className="members">
                    {team.members.map((member) => (
                      <li key={member.id} className="member" title={member.email}>
                        {member.name}
                      </li>
                    ))}
                  </ul>
                )}
              </article>
            ))}
          </div>
        )}
      </PagedList>
      {dialog && users.data && (
        <TeamDialog team={dialog.team} users={users.data.users} onClose={() => setDialog(null)} onSaved={saved} />
      )}
    </>
  );
}
