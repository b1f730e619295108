import { useState, type FormEvent } from 'react';
import type { StaffUser } from '../../auth/auth.api.js';
import { Dialog } from '../../ui/dialog.js';
import { Field, FormError, formErrors, useSubmission } from '../../ui/form.js';
import { MemberPicker } from './member-picker.js';
import { teamsApi, type Team } from './teams.api.js';

/** Creates a team, or (given one) renames it, describes it and sets its members. */
export function TeamDialog({
  team,
  users,
  onClose,
  onSaved,
}: {
  team?: Team;
  users: StaffUser[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const [name, setName] = useState(team?.name ?? '');
  const [description, setDescription] = useState(team?.description ?? '');
  const [memberIds, setMemberIds] = useState<string[]>(team?.members.map((member) => member.id) ?? []);
  const submission = useSubmission(async () => {
    const input = { name, description, memberIds };
    await (team ? teamsApi.update(team.id, input) : teamsApi.create(input));
    onSaved();
  });
  const errors = formErrors(submission.error, ['name', 'description', 'memberIds']);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void submission.run();
  };

  return (
    <Dialog title={team ? `Edit ${team.name}` : 'New team'} onClose={onClose}>
      <form className="form" onSubmit={submit}>
        <FormError message={errors.general} />
        <Field label="Name" htmlFor="team-name" error={errors.fields.name}>
          <input
            id="team-name"
            required
            maxLength={100}
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
        </Field>
        <Field label="Description" htmlFor="team-description" error={errors.fields.description}>
          <textarea
            id="team-description"
            rows={2}
            maxLength={2000}
            value={description}
            onChange={(event) => setDescription(event.target.value)}
          />
        </Field>
        <MemberPicker users={users} value={memberIds} onChange={setMemberIds} error={errors.fields.memberIds} />
        <div className="form-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={submission.saving}>
            {submission.saving ? 'Saving…' : team ? 'Save team' : 'Create team'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
