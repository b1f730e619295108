import { useId, useState } from 'react';
import type { ResponseOf } from '../api/api-types.js';
import { api } from '../api/client.js';
import { Dialog } from '../ui/dialog.js';
import { Field, FormError, RunButton, useSubmission } from '../ui/form.js';
import { ErrorNotice, Loading, messageOf } from '../ui/states.js';
import { useApiData, useInvalidate } from '../ui/use-api-data.js';

type Permissions = ResponseOf<'/api/documents/{id}/permissions'>;
type Grant = Permissions['grants'][number];
type Level = Grant['level'];

/** A folder (for everything below it) or one document. */
export type PermissionsTarget = { kind: 'folder' | 'document'; id: string; name: string };

const levelLabels: Record<Level, string> = {
  none: 'No access',
  read: 'Read',
  write: 'Write',
  manage: 'Manage',
};

const subjectLabels: Record<Grant['subjectType'], string> = { user: 'User', team: 'Team', role: 'Role' };

const pathOf = (target: PermissionsTarget) =>
  `/api/${target.kind === 'folder' ? 'document-folders' : 'documents'}/${encodeURIComponent(target.id)}/permissions`;

const keyOf = (grant: Pick<Grant, 'subjectType' | 'subjectId'>) => `${grant.subjectType}:${grant.subjectId}`;

/** Who may read, write or manage a folder or document: grants from above, and its own to add and remove. */
export function PermissionsDialog({ target, onClose }: { target: PermissionsTarget; onClose: () => void }) {
  const path = pathOf(target);
  const permissions = useApiData<Permissions>(path);
  const invalidate = useInvalidate();
  const [subject, setSubject] = useState('');
  const [level, setLevel] = useState<Level>('read');
  const ids = useId();
  const save = useSubmission(async (grants: Pick<Grant, 'subjectType' | 'subjectId' | 'level'>[]) => {
    await api.put(path, {
      grants: grants.map(({ subjectType, subjectId, level }) => ({ subjectType, subjectId, level })),
    });
    await invalidate(path, '/api/documents', '/api/document-folders');
  });
  const data = permissions.data;
  const title = `Permissions of ${target.name}`;
  if (data === undefined)
    return (
      <Dialog title={title} onClose={onClose}>
        {permissions.error === undefined ? (
          <Loading what="the permissions" />
        ) : (
          <ErrorNotice error={permissions.error} onRetry={permissions.reload} />
        )}
      </Dialog>
    );
  const candidates = data.candidates;
  const add = () => {
    const [subjectType, subjectId] = subject.split(/:(.*)/s) as [Grant['subjectType'], string];
    const rest = data.grants.filter((grant) => keyOf(grant) !== subject);
    void save.run([...rest, { subjectType, subjectId, level }]);
  };
  return (
    <Dialog title={title} onClose={onClose}>
      <p className="muted">
        {data.governed
          ? 'Only those named here or above have access. For each user, team or role the grant nearest the document counts; the role still limits what anyone may do.'
          : 'No grants apply here or above: roles alone decide who may read and change it.'}{' '}
        You may {levelLabels[data.level].toLowerCase()}.
      </p>
      <h3>Inherited</h3>
      {data.inherited.length === 0 ? (
        <p className="muted">Nothing from the folders above.</p>
      ) : (
        <ul aria-label="Inherited grants">
          {data.inherited.map((grant) => (
            <li key={keyOf(grant)}>
              {subjectLabels[grant.subjectType]} <strong>{grant.subjectName}</strong>: {levelLabels[grant.level]}{' '}
              <span className="muted small">
                from {grant.from.name}
                {grant.overridden && ', replaced here'}
              </span>
            </li>
          ))}
        </ul>
      )}
      <h3>On this {target.kind}</h3>
      {data.grants.length === 0 ? (
        <p className="muted">No grants of its own.</p>
      ) : (
        <ul aria-label="Own grants">
          {data.grants.map((grant) => (
            <li key={keyOf(grant)}>
              {subjectLabels[grant.subjectType]} <strong>{grant.subjectName}</strong>: {levelLabels[grant.level]}{' '}
              {candidates && (
                <RunButton
                  submission={save}
                  args={[data.grants.filter((other) => keyOf(other) !== keyOf(grant))]}
                  label={`Remove ${grant.subjectName}`}
                  busyLabel="Removing…"
                />
              )}
            </li>
          ))}
        </ul>
      )}
      <FormError message={save.error === undefined ? null : messageOf(save.error)} />
      {candidates && (
        <form
          className="form"
          aria-label="Add a grant"
          onSubmit={(event) => {
            event.preventDefault();
            add();
          }}
        >
          <div className="form-row">
            <Field label="Who" htmlFor={`${ids}-who`}>
              <select id={`${ids}-who`} value={subject} onChange={(event) => setSubject(event.target.value)} required>
                <option value="">Choose…</option>
                <optgroup label="Roles">
                  {candidates.roles.map((role) => (
                    <option key={role} value={`role:${role}`}>
                      {role}
                    </option>
                  ))}
                </optgroup>
                <optgroup label="Teams">
                  {candidates.teams.map((team) => (
                    <option key={team.id} value={`team:${team.id}`}>
                      {team.name}
                    </option>
                  ))}
                </optgroup>
                <optgroup label="Users">
                  {candidates.users.map((user) => (
                    <option key={user.id} value={`user:${user.id}`}>
                      {user.name}
                    </option>
                  ))}
                </optgroup>
              </select>
            </Field>
            <Field label="Access" htmlFor={`${ids}-level`}>
              <select id={`${ids}-level`} value={level} onChange={(event) => setLevel(event.target.value as Level)}>
                {Object.entries(levelLabels).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          <div className="form-actions">
            <button type="submit" className="button" disabled={save.saving || subject === ''}>
              {save.saving ? 'Saving…' : 'Add grant'}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
